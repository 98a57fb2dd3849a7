"""project.links.link: the same address as reverse() for every URL name the lists use, from one
reverse() per name."""

from django.urls import clear_script_prefix, reverse, set_script_prefix

from project import links


def test_links_are_the_addresses_reverse_gives():
    for name, args in [("inspection:case", (7,)), ("inspection:case", (12345,)), ("dashboards:office", (3,)),
                       ("inspection:flow:inspect:execute", (41, 987)), ("dashboards:cluster", (2,))]:  # fmt: skip
        assert links.link(name, *args) == reverse(name, args=args)


def test_one_reverse_per_name(monkeypatch):
    calls = []
    real = links.reverse
    monkeypatch.setattr(links, "reverse", lambda *a, **k: calls.append(a) or real(*a, **k))
    links._template.cache_clear()
    urls = [links.link("inspection:case", pk) for pk in range(1, 51)]
    assert len(calls) == 1 and urls[9] == reverse("inspection:case", args=[10])


def test_a_script_prefix_is_kept():
    set_script_prefix("/kamkap/")
    try:
        assert links.link("inspection:case", 5) == reverse("inspection:case", args=[5])
        assert links.link("inspection:case", 5).startswith("/kamkap/inspection/")
    finally:
        clear_script_prefix()
    assert links.link("inspection:case", 5).startswith("/inspection/")
