"""Answers to staff's own questions in templates (core.questions)."""

from django import template

from core.questions import display_value

register = template.Library()


@register.filter
def answer_text(answer) -> str:
    return display_value(answer)
