"""The pages of messages to groups (core.group_messages): staff write a message, see it
as each language reads it with the number of recipients, send it or schedule it, and
read afterwards who got it; guardians, artists and hosts read the messages sent to them.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import audiences, group_messages, reach
from core.forms import AudienceChoiceForm, GroupMessageForm, ScheduleForm
from core.models import GroupMessage, GroupMessageRecipient
from core.policies import GROUP_MESSAGES, MESSAGES_TO_ME, requires

# How many messages the staff list and a person's own page show (newest first).
LIST_LIMIT = 100


@requires(GROUP_MESSAGES, obj=None)
@require_safe
def message_list(request):
    """Every message to a group, newest first, with its status and failed deliveries."""
    rows = list(group_messages.group_messages()[:LIST_LIMIT])
    return render(request, "core/group_messages/list.html", {"rows": rows, "limit": LIST_LIMIT})


@requires(GROUP_MESSAGES, obj=None)
@require_http_methods(["GET", "HEAD", "POST"])
def compose(request):
    """Write a message: first whom it is for, then the audience's choices and the texts;
    saving shows the preview (a draft), from which it is sent or scheduled."""
    key = request.POST.get("audience") or request.GET.get("audience") or ""
    if key not in audiences.AUDIENCES:
        return render(
            request,
            "core/group_messages/compose.html",
            {"choice": AudienceChoiceForm(initial={"audience": key or None})},
        )
    return _edit(request, key, None)


@requires(GROUP_MESSAGES)
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk):
    """Change a draft or a scheduled message (which goes back to draft)."""
    message = GROUP_MESSAGES.get_object(request, GroupMessage.objects.all(), pk=pk)
    if message.is_sent:
        return redirect("core:group_message", message.pk)
    return _edit(request, message.audience, message)


def _edit(request, key, message):
    initial = GroupMessageForm.initial_of(message) if message else None
    form = GroupMessageForm(request.POST or None, audience=key, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message = group_messages.save_draft(
                by=request.user,
                audience=key,
                audience_params=form.audience_params(),
                message=message,
                **{name: data[name] for name in group_messages.FIELDS},
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("core:group_message", message.pk)
    return render(
        request,
        "core/group_messages/compose.html",
        {"form": form, "audience": audiences.audience(key), "message": message},
    )


@requires(GROUP_MESSAGES)
@require_safe
def detail(request, pk):
    """A draft or scheduled message: the count and the preview per language, and the
    buttons to send or schedule it. A sent one: the report, who got it and who did not."""
    message = GROUP_MESSAGES.get_object(
        request, GroupMessage.objects.select_related("sender"), pk=pk
    )
    context = {"message": message, "sms_configured": reach.sms_configured()}
    if message.is_sent:
        context["report"] = group_messages.report(message)
    else:
        context["preview"] = group_messages.preview(message)
        context["schedule_form"] = ScheduleForm()
    return render(request, "core/group_messages/detail.html", context)


@requires(GROUP_MESSAGES)
@require_POST
def send(request, pk):
    """Send now (``send``), schedule (``schedule`` with ``scheduled_at``) or take back a
    scheduled message to draft (``unschedule``)."""
    message = GROUP_MESSAGES.get_object(request, GroupMessage.objects.all(), pk=pk)
    action = request.POST.get("action", "")
    if action == "send":
        group_messages.send_message(message, by=request.user)
        messages.success(request, _("The message is being sent."))
    elif action == "unschedule":
        group_messages.unschedule_message(message, by=request.user)
        messages.success(request, _("The message is a draft again; it will not be sent."))
    elif action == "schedule":
        form = ScheduleForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors["scheduled_at"])
            group_messages.schedule_message(
                message, by=request.user, at=form.cleaned_data["scheduled_at"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The message will be sent at the time chosen."))
    return redirect("core:group_message", message.pk)


@requires(GROUP_MESSAGES)
@require_POST
def resend(request, pk):
    """Send a recipient's failed email and SMS again."""
    row = GROUP_MESSAGES.get_object(
        request,
        GroupMessageRecipient.objects.select_related("email_message", "sms_message"),
        pk=pk,
    )
    group_messages.resend_failed(row, by=request.user)
    messages.success(request, _("The message is queued to be sent again."))
    return redirect("core:group_message", row.message_id)


@requires(MESSAGES_TO_ME, obj=None)
@require_safe
def my_messages(request):
    """The messages staff sent to the login, newest first, each in the language it was
    sent in."""
    rows = list(group_messages.messages_to(request.user)[:LIST_LIMIT])
    return render(request, "core/group_messages/mine.html", {"rows": rows, "limit": LIST_LIMIT})
