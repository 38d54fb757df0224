"""Answers to staff's own questions in the apps' APIs (core.questions): a nested, read-only
serializer, and a mixin that logs the health-data answers a response showed."""

from rest_framework import serializers

from core import questions
from core.models import Answer


class AnswerSerializer(serializers.ModelSerializer):
    """One answer: the question's id, kind and texts, the value as saved (a file answer:
    its name and type), and the version of the consent text agreed to."""

    question_label_nb = serializers.CharField(source="question.label_nb", read_only=True)
    question_label_en = serializers.CharField(source="question.label_en", read_only=True)
    kind = serializers.CharField(source="question.kind", read_only=True)
    health_data = serializers.BooleanField(source="question.health_data", read_only=True)
    value = serializers.JSONField(read_only=True)

    class Meta:
        model = Answer
        fields = [
            "question",
            "question_label_nb",
            "question_label_en",
            "kind",
            "health_data",
            "value",
            "consent_version",
            "answered_at",
        ]
        read_only_fields = fields

    def to_representation(self, answer):
        seen = self.context.get("seen_answers")
        if seen is not None:
            seen.append(answer)
        return super().to_representation(answer)


class LogsHealthAnswersMixin:
    """For a viewset whose serializer nests AnswerSerializer: the health-data answers of a
    response are logged once (core.questions.record_health_reads)."""

    def get_serializer_context(self):
        if not hasattr(self, "_answer_context"):
            self._answer_context = {**super().get_serializer_context(), "seen_answers": []}
        return self._answer_context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        seen = getattr(self, "_answer_context", {}).get("seen_answers")
        if seen and 200 <= response.status_code < 300:
            questions.record_health_reads(
                viewer=request.user, answers=seen, path=request.path, channel="api"
            )
        return response
