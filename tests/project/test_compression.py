"""Pages go compressed to a browser that accepts it (django.middleware.gzip, project/settings.py): on a phone's slow
network the inspect page's HTML (57 kB) is the larger part of the wait once the service worker keeps the rest
(bench/measures/field.py). Static files are compressed ahead by WhiteNoise and do not pass through it."""

import gzip

import pytest


@pytest.mark.django_db
def test_a_page_is_sent_gzipped_when_the_browser_accepts_it(client, songkhla_head):
    client.force_login(songkhla_head)
    plain = client.get("/inspection/inbox/")
    packed = client.get("/inspection/inbox/", headers={"accept-encoding": "gzip, deflate, br"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 3
    assert b"</html>" in gzip.decompress(packed.content)
