from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrchestraConfig(AppConfig):
    name = "orchestra"
    verbose_name = _("Youth symphony")
