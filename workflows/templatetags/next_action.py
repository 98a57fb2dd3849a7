"""{% next_action_of case as steps %}: the next-action panel's data (workflows.next_action), so a page
shows the panel by including workflows/_next_action.html with its case, nothing added to its view."""

from django import template

from workflows.next_action import next_action

register = template.Library()


@register.simple_tag
def next_action_of(case):
    return next_action(case) if case is not None else []
