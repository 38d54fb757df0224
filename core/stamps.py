"""Change stamps: a cheap "has anything changed?" for cached pages and feeds.

A stamp is a name ("events:list", "orchestra:guardian:12") for something cached. A write
that changes what it shows bumps it; a reader reads the stamps it depends on in one query
(read_stamps) and keeps what it built while they stay the same (Unchanged,
events.feeds.cached_entries). The cost of a read does not grow with the data.

Which writes bump which stamps is declared in one registry: each app's ``stamps.py``
registers, per model, a function of an instance returning the stamp keys it changes
(register()); the model signals (post_save, post_delete, and m2m_changed for the through
models of many-to-many fields) bump them, so the admin and imports bump too. A service
that writes with QuerySet.update(), bulk_create() or bulk_update() on a registered model
sends no signal: it calls bump_for() itself.

Storage: a bump inserts a ChangeStamp row inside the writing transaction, so it commits
or rolls back with the change and needs no lock (inserts never wait for each other), in
tests too (where on-commit callbacks never run). A stamp's value is the count and the sum
of the ids of its rows, read through the index on (key, id). Not the newest id alone: a
transaction that took an id earlier may commit later, and the newest id would not change.
Every committed row changes the count. The nightly prune_change_stamps() deletes rows
older than a day (never a key's newest); a row committing at the same time was inserted
less than a day ago, so its id is larger than any deleted one, and the value (count, sum)
cannot come back to one read before. Within one transaction a key is inserted once, not
once per saved row, until someone reads it.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Model, OuterRef, Subquery, Sum
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone, translation

CACHE_TIMEOUT = 24 * 60 * 60

KeysOf = Callable[[Model], Iterable[str]]

_rules: dict[type[Model], list[KeysOf]] = defaultdict(list)
_follows_moves: set[type[Model]] = set()


def register(model: type[Model], keys_of: KeysOf, *, follow_moves: bool = False) -> None:
    """Declare that a write to `model` changes what the stamps keys_of(instance) name.

    With follow_moves, an update also bumps the keys of the row as it was before (one
    query more per save): for models whose keys follow a foreign key that can change,
    such as an event moved to another venue.
    """
    _rules[model].append(keys_of)
    if follow_moves:
        _follows_moves.add(model)


def registered() -> dict[type[Model], list[KeysOf]]:
    """Return the declared rules, per model (for tests and the documentation)."""
    return dict(_rules)


def keys_of(instance: Model) -> set[str]:
    """Return the stamp keys a write to `instance` bumps."""
    return {key for rule in _rules.get(type(instance), ()) for key in rule(instance)}


def bump(*keys: str) -> None:
    """Mark the stamps `keys` changed, inside the current transaction (if any)."""
    state = _transaction_state()
    keys_to_add = set(keys) - (state.bumped if state else set())
    if not keys_to_add:
        return
    ChangeStamp = apps.get_model("core", "ChangeStamp")
    ChangeStamp.objects.bulk_create([ChangeStamp(key=key) for key in sorted(keys_to_add)])
    if state is not None:
        marker = _Bumped(keys_to_add)
        transaction.on_commit(marker)
        state.add(marker)


def bump_for(instances: Iterable[Model]) -> None:
    """Bump the stamps of rows written without signals (update(), bulk_create())."""
    keys = set()
    for instance in instances:
        keys |= keys_of(instance)
    bump(*keys)


def _transaction_memo() -> dict:
    """Return the dict of remembered(), kept for the current transaction; a new one outside
    transactions."""
    state = _transaction_state()
    if state is None:
        return {}
    if state.memo is None:
        state.memo = _Memo()
        transaction.on_commit(state.memo)
    return state.memo


def remembered(key: tuple, lookup: Callable[[], object]):
    """Return lookup(), looked up once a transaction under `key` (name, id) in
    _transaction_memo(): a rule's query for the row it was given (an event's programme)
    then runs once, not once per saved row of an import."""
    memo = _transaction_memo()
    if key not in memo:
        memo[key] = lookup()
    return memo[key]


def forget(name: str, *ids) -> None:
    """Forget what remembered() looked up under (name, id) for each of `ids`, or under every
    id: for the rule of a write that changes it."""
    memo = _transaction_memo()
    if ids:
        for id_ in ids:
            memo.pop((name, id_), None)
    else:
        for key in [key for key in memo if key[0] == name]:
            del memo[key]


# What this transaction bumped and looked up is kept in markers: on-commit callbacks that
# do nothing. Django drops a marker when the savepoint it was made in rolls back and all
# of them when the transaction ends, which is what "already inserted in this transaction"
# needs, in tests too. Django replaces its list of callbacks when it drops some, and
# appends to it otherwise: while the list is the same, what was read from it holds.


class _Bumped:
    """Keys inserted in the current transaction (or savepoint)."""

    def __init__(self, keys: set[str]):
        self.keys = set(keys)

    def __call__(self):
        pass


class _Memo(dict):
    """What the rules looked up in the current transaction (remembered())."""

    def __call__(self):
        pass


class _TransactionState:
    def __init__(self, callbacks: list):
        self.callbacks = callbacks  # connection.run_on_commit, as read
        self.markers: list[_Bumped] = []
        self.bumped: set[str] = set()
        self.memo: _Memo | None = None
        for _sids, func, _robust in callbacks:
            if isinstance(func, _Bumped):
                self.add(func)
            elif isinstance(func, _Memo):
                self.memo = func

    def add(self, marker: _Bumped) -> None:
        self.markers.append(marker)
        self.bumped |= marker.keys

    def forget(self, keys: set[str]) -> None:
        if keys & self.bumped:
            for marker in self.markers:
                marker.keys -= keys
            self.bumped -= keys


def _transaction_state() -> _TransactionState | None:
    if not connection.in_atomic_block:
        return None
    state = getattr(connection, "_change_stamps", None)
    if state is None or state.callbacks is not connection.run_on_commit:
        state = _TransactionState(connection.run_on_commit)
        connection._change_stamps = state
    return state


def _read_in_this_transaction(keys: set[str]) -> None:
    # What a reader built from now on shows the writes so far: a later write in this
    # transaction must insert again, or its change would hide under the value read.
    state = _transaction_state()
    if state is not None:
        state.forget(keys)


def read_stamps(keys: Iterable[str]) -> tuple:
    """Return the current value of the stamps `keys`, in one query."""
    keys = set(keys)
    _read_in_this_transaction(keys)
    ChangeStamp = apps.get_model("core", "ChangeStamp")
    rows = (
        ChangeStamp.objects.filter(key__in=keys)
        .values("key")
        .annotate(count=Count("id"), total=Sum("id"))
        .order_by("key")
        .values_list("key", "count", "total")
    )
    found = {key: (count, total) for key, count, total in rows}
    return tuple((key, *found.get(key, (0, 0))) for key in sorted(keys))


class Unchanged:
    """What is built from data under the change stamps `stamps`, read once (one query) for
    all the results of a page: get() returns a result from the cache while none of them
    has been bumped.

    `stamps` must name every stamp whose writes change what the results show. For results
    that depend on the time as well, see events.feeds.cached_entries.
    """

    def __init__(self, stamps: Iterable[str]):
        self.values = read_stamps(stamps)

    def cache_key(self, key: tuple) -> str:
        """Return the cache key of `key` under the active language and the stamps' values."""
        parts = (key, translation.get_language(), self.values)
        return "core:unchanged:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:32]

    def get(self, key: tuple, build: Callable[[], object]):
        """Return build(), cached under cache_key(key) for a day at most."""
        cache_key = self.cache_key(key)
        found = cache.get(cache_key)
        if found is None:
            found = (build(),)
            cache.set(cache_key, found, CACHE_TIMEOUT)
        return found[0]


def prune_change_stamps(*, now=None) -> int:
    """Delete the stamp rows older than a day that are not their key's newest; return how
    many. Safe to run at any time and twice: a reader then rebuilds once."""
    ChangeStamp = apps.get_model("core", "ChangeStamp")
    before = (now or timezone.now()) - timedelta(days=1)
    newest = ChangeStamp.objects.filter(key=OuterRef("key")).order_by("-id").values("id")[:1]
    deleted, _by_model = (
        ChangeStamp.objects.filter(created_at__lt=before).exclude(id=Subquery(newest)).delete()
    )
    return deleted


def stamp_rows_per_key() -> dict[str, int]:
    """Return how many rows each key has (for the benchmarks and the checks)."""
    ChangeStamp = apps.get_model("core", "ChangeStamp")
    rows = ChangeStamp.objects.values_list("key").annotate(rows=Count("id")).order_by("key")
    return dict(rows)


# The signals ------------------------------------------------------------------------------


def _bump_saved(sender, instance, raw=False, **kwargs):
    """Bump the stamps of a saved or deleted row of a registered model."""
    if sender in _rules and not raw:
        bump(*keys_of(instance))


def _bump_moved_from(sender, instance, raw=False, **kwargs):
    """Before an update of a model whose keys follow a foreign key, bump the old keys."""
    if sender in _follows_moves and not raw and instance.pk and not instance._state.adding:
        before = sender._base_manager.filter(pk=instance.pk).first()
        if before is not None:
            bump(*keys_of(before))


def _bump_related(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Bump the stamps of the links added or removed in a many-to-many relation whose
    through model is registered (as if each link were a saved or deleted row)."""
    if sender not in _rules or action not in ("post_add", "post_remove", "pre_clear"):
        return
    links = [field for field in sender._meta.concrete_fields if field.is_relation]
    source = next(field for field in links if field.related_model is type(instance))
    target = next(field for field in links if field.related_model is model and field is not source)
    if action == "pre_clear":
        # Before the clear, the links still there are the ones that go.
        rows = list(sender._base_manager.filter(**{source.attname: instance.pk}))
    else:
        rows = [sender(**{source.attname: instance.pk, target.attname: pk}) for pk in pk_set]
    bump_for(rows)


def connect_signals() -> None:
    """Connect the stamps to the model signals (core.apps.CoreConfig.ready)."""
    post_save.connect(_bump_saved, dispatch_uid="core.stamps.post_save")
    post_delete.connect(_bump_saved, dispatch_uid="core.stamps.post_delete")
    pre_save.connect(_bump_moved_from, dispatch_uid="core.stamps.pre_save")
    m2m_changed.connect(_bump_related, dispatch_uid="core.stamps.m2m_changed")
