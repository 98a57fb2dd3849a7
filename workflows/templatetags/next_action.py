"""{% next_action_of case as steps %}: the next-action panel's data (workflows.next_action) for whoever
reads the page, so a page shows the panel by including workflows/_next_action.html with its case,
nothing added to its view."""

from django import template

from workflows.next_action import next_action

register = template.Library()


@register.simple_tag(takes_context=True)
def next_action_of(context, case):
    request = context.get("request")
    return next_action(case, user=getattr(request, "user", None)) if case is not None else []
