"""No page loads Viewflow's vis-network.min.js (400 kB, 93 kB gzipped): it draws Viewflow's <vf-network> FSM graphs,
which Kamkap does not show; our process diagrams are SVG drawn on the server. Our copy of Viewflow's script
include (templates/viewflow/includes/viewflow_js.html) leaves it out, and the installable app does not keep it
(project/pwa.py)."""

import pytest

from project import pwa


@pytest.mark.django_db
def test_no_page_loads_vis_network(client, songkhla_head):
    pages = {"/accounts/login/": client.get("/accounts/login/")}
    client.force_login(songkhla_head)
    pages["/inspection/inbox/"] = client.get("/inspection/inbox/")
    for path, response in pages.items():
        page = response.content.decode()
        assert response.status_code == 200 and "viewflow/js/viewflow.min.js" in page, path  # Viewflow's own still
        assert "vis-network" not in page, path


def test_the_app_does_not_keep_vis_network():
    assert not any("vis-network" in path for path in pwa.PRECACHE_VENDOR)
