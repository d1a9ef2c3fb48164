from django import template

from ..selectors import visit_counter

register = template.Library()


@register.inclusion_tag("visitors/counter.html")
def visitor_counter():
    return {"counter": visit_counter()}
