"""Every field of every model is classified for retention: cleared by a rule, kept for a
stated reason, or not personal data. A new field anywhere fails here until someone says
which it is, in the app's retention.py (core/retention.py for apps not ours)."""

from django.apps import apps

from core.retention import MEMBER_ERASURE, declared_fields, retention_rules


def concrete_fields():
    """Return every concrete field of every installed model, as (label, field name).

    Proxies share their model's table; the tables Django makes for many-to-many fields
    hold two links and nothing of their own.
    """
    return {
        (model._meta.label_lower, field.name)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.concrete_fields
    }


def declared():
    return {
        (label, name): use
        for label, fields in declared_fields().items()
        for name, use in fields.items()
    }


def test_every_field_of_every_model_is_classified():
    missing = sorted(concrete_fields() - set(declared()))
    assert not missing, f"Classify these fields in the app's retention.py: {missing}"


def test_the_table_names_no_field_that_does_not_exist():
    stale = sorted(set(declared()) - concrete_fields())
    assert not stale, f"These fields are declared but do not exist: {stale}"


def test_every_cleared_field_names_a_rule_that_exists():
    keys = {rule.key for rule in retention_rules()} | {MEMBER_ERASURE}
    unknown = {
        (field, key)
        for field, use in declared().items()
        for key in use.cleared_by
        if key not in keys
    }
    assert not unknown


def test_personal_data_is_either_cleared_or_kept_for_a_reason():
    for field, use in declared().items():
        if use.personal:
            assert bool(use.cleared_by) != bool(use.reason), field
        else:
            assert not use.cleared_by and not use.reason, field


def test_each_rule_has_a_setting_with_a_default():
    from django.conf import settings

    for rule in retention_rules():
        assert isinstance(getattr(settings, rule.setting), int), rule.key
        assert str(rule.period())
