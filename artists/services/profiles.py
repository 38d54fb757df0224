"""Artists' accounts and profiles: sign-up with email confirmation, the profile, the gallery.

The pages, the API, the admin and the spreadsheet import all change artists through these
functions. Invalid input raises Django's ValidationError keyed by field (as full_clean
does); a broken rule of the art round raises ArtistsError.
"""

import hashlib
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from artists.exceptions import ArtistsError
from artists.images import delete_files_on_commit, prepare_image
from artists.models import Artist, ArtistImage, Discipline
from artists.selectors.profiles import may_edit_artist
from core.audit import created, diff, field_values, log_action
from core.mail import queue_email, queue_in_transaction
from core.roles import Role, is_staff_member
from core.stamps import bump_for
from events.selectors import municipalities_valid_on

# What an artist may change on their own profile.
PROFILE_FIELDS = (
    "name",
    "home_municipality",
    "studio_municipality",
    "bio_nb",
    "bio_en",
    "statement_nb",
    "statement_en",
    "website",
    "instagram",
    "email",
    "phone",
    "language",
)
# What only staff may change: whether the artist counts as professional for a call.
STAFF_FIELDS = ("is_professional",)
# Typed fields tidied before they are checked (spaces, @handle, www.example.no).
TIDIED = ("name", "email", "phone", "website", "instagram")
IMAGE_FIELDS = ("title", "year", "technique", "dimensions", "is_public")
MAX_GALLERY_IMAGES = 50


# Small normalisations shared by the forms, the API and the import ------------------------

INSTAGRAM_URL = re.compile(r"^(?:https?://)?(?:www\.)?instagram\.com/([^/?#]+)/?", re.IGNORECASE)


def normalize_instagram(value: str) -> str:
    """Return an Instagram handle without @ or address around it."""
    value = (value or "").strip()
    match = INSTAGRAM_URL.match(value)
    if match:
        value = match.group(1)
    return value.lstrip("@").strip()


def normalize_website(value: str) -> str:
    """Return a website address with its scheme (www.example.no → https://www.example.no)."""
    value = (value or "").strip()
    if value and "://" not in value:
        value = f"https://{value}"
    return value


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """Return an unused address name for an artist, made from their name."""
    base = slugify(name.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "Ae"))
    base = (base or "kunstner")[:190]
    taken = set(
        Artist.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


# Profiles -------------------------------------------------------------------------------


def _check_municipalities(values: dict, *, before: dict) -> None:
    """Refuse a newly chosen municipality that is not on today's map."""
    valid = None
    errors = {}
    for field in ("home_municipality", "studio_municipality"):
        if field not in values or values[field] is None:
            continue
        if values[field].pk == before.get(field):
            continue  # unchanged: a profile keeps a municipality that has since merged
        if valid is None:
            valid = set(municipalities_valid_on().values_list("pk", flat=True))
        if values[field].pk not in valid:
            errors[field] = _("Choose a municipality as it is today.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_artist(
    *,
    name: str,
    user=None,
    disciplines: list[Discipline] | None = None,
    by,
    **values,
) -> Artist:
    """Make an artist's profile with a unique address name made from their name.

    Preconditions: a given login has no profile yet. Municipalities must be on today's
    map unless staff (``by``) make the profile, as when they import earlier participants.
    ``by``: who makes it (the artist signing up, staff, or None for the system).
    """
    if user is not None and Artist.objects.filter(user=user).exists():
        raise ArtistsError(_("This login already has an artist profile."))
    unknown = set(values) - set(PROFILE_FIELDS) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {', '.join(sorted(unknown))}")
    values = _normalized(values)
    if not is_staff_member(by):
        _check_municipalities(values, before={})
    artist = save_artist_record(artist=Artist(user=user, name=name, **values))
    changes = created(artist)
    if disciplines:
        artist.disciplines.set(disciplines)
        changes["disciplines"] = [None, [discipline.pk for discipline in disciplines]]
    log_action(artist, "artists.artist.created", by, changes=changes)
    return artist


def fill_artist_record(artist: Artist) -> None:
    """Tidy an artist's typed fields and give a new artist an unused address name."""
    for field, value in _normalized({field: getattr(artist, field) for field in TIDIED}).items():
        setattr(artist, field, value)
    if not artist.slug and artist.name:
        artist.slug = unique_slug(artist.name)


def save_artist_record(*, artist: Artist, checked: bool = False) -> Artist:
    """Check and save an artist whose fields are set, as the spreadsheet import does.

    ``checked``: the caller has just passed this very artist through fill_artist_record()
    and full_clean() (the import does, to report every column's error of a row at once),
    so neither is done twice. Everything else goes through create_artist() and
    update_profile().
    """
    if not checked:
        fill_artist_record(artist)
        artist.full_clean()
    artist.save()
    return artist


def _normalized(values: dict) -> dict:
    values = dict(values)
    if "instagram" in values:
        values["instagram"] = normalize_instagram(values["instagram"])
    if "website" in values:
        values["website"] = normalize_website(values["website"])
    for field in ("name", "email", "phone"):
        if field in values and isinstance(values[field], str):
            values[field] = values[field].strip()
    return values


@transaction.atomic
def update_profile(
    *,
    artist: Artist,
    by,
    values: dict,
    disciplines: list[Discipline] | None = None,
    portrait=None,
    remove_portrait: bool = False,
) -> Artist:
    """Change the given profile fields (others stay), the disciplines and the portrait.

    Preconditions: ``by`` is the artist themself or staff; only staff change
    ``is_professional``. A municipality the artist chooses must be on today's map (staff
    may record a former one). A refused portrait or value changes nothing.
    """
    if not may_edit_artist(by, artist):
        raise ArtistsError(_("You may only change your own profile."))
    allowed = set(PROFILE_FIELDS) | (set(STAFF_FIELDS) if is_staff_member(by) else set())
    refused = set(values) - allowed
    if refused & set(STAFF_FIELDS):
        raise ArtistsError(_("Only the organisers decide whether an artist is professional."))
    if refused:
        raise TypeError(f"Unknown profile fields: {', '.join(sorted(refused))}")
    prepared = _prepare_portrait(portrait)
    artist = Artist.objects.select_for_update().get(pk=artist.pk)
    before = {
        "home_municipality": artist.home_municipality_id,
        "studio_municipality": artist.studio_municipality_id,
    }
    values = _normalized(values)
    if not is_staff_member(by):
        _check_municipalities(values, before=before)
    stored = field_values(artist, [*values, "portrait"])
    for field, value in values.items():
        setattr(artist, field, value)
    artist.full_clean()
    old_files = []
    if prepared is not None or remove_portrait:
        old_files = [artist.portrait, artist.portrait_thumbnail]
        artist.portrait = prepared.display if prepared else ""
        artist.portrait_thumbnail = prepared.thumbnail if prepared else ""
    artist.save()
    changes = diff(artist, stored)
    if disciplines is not None:
        artist.disciplines.set(disciplines)
        changes["disciplines"] = [None, [discipline.pk for discipline in disciplines]]
    log_action(artist, "artists.artist.updated", by, changes=changes)
    if old_files:
        delete_files_on_commit(*old_files)
    return artist


def _prepare_portrait(upload):
    if not upload:
        return None
    try:
        return prepare_image(upload)
    except ValidationError as exc:
        raise ValidationError({"portrait": exc.error_list}) from None


# The gallery ----------------------------------------------------------------------------


def _check_image_editor(by, artist: Artist) -> None:
    if not may_edit_artist(by, artist):
        raise ArtistsError(_("You may only change your own gallery."))


@transaction.atomic
def add_work_image(
    *,
    artist: Artist,
    by,
    upload,
    title: str,
    year: int | None = None,
    technique: str = "",
    dimensions: str = "",
    is_public: bool = True,
) -> ArtistImage:
    """Add a work image at the end of the artist's gallery, cleaned and in its sizes.

    Preconditions: ``by`` is the artist themself or staff; the gallery has room.
    A refused file or value stores nothing.
    """
    _check_image_editor(by, artist)
    try:
        prepared = prepare_image(upload)
    except ValidationError as exc:
        raise ValidationError({"image": exc.error_list}) from None
    Artist.objects.select_for_update().filter(pk=artist.pk).first()
    images = ArtistImage.objects.filter(artist=artist)
    if images.count() >= MAX_GALLERY_IMAGES:
        raise ArtistsError(
            _("A gallery holds at most %(count)d images; delete one first.")
            % {"count": MAX_GALLERY_IMAGES}
        )
    last = images.order_by("-position").values_list("position", flat=True).first()
    image = ArtistImage(
        artist=artist,
        image=prepared.original,
        display=prepared.display,
        thumbnail=prepared.thumbnail,
        width=prepared.width,
        height=prepared.height,
        title=title.strip(),
        year=year,
        technique=technique.strip(),
        dimensions=dimensions.strip(),
        is_public=is_public,
        position=0 if last is None else last + 1,
    )
    image.full_clean()
    image.save()
    log_action(image, "artists.artistimage.added", by, changes=created(image))
    return image


@transaction.atomic
def update_work_image(*, image: ArtistImage, by, values: dict) -> ArtistImage:
    """Change the given fields of a work image: title, year, technique, dimensions, public.

    Preconditions: ``by`` is the artist themself or staff.
    """
    _check_image_editor(by, image.artist)
    unknown = set(values) - set(IMAGE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown image fields: {', '.join(sorted(unknown))}")
    image = ArtistImage.objects.select_for_update().get(pk=image.pk)
    before = field_values(image, values)
    for field, value in values.items():
        setattr(image, field, value.strip() if isinstance(value, str) else value)
    image.full_clean()
    image.save(update_fields=list(values) or None)
    log_action(image, "artists.artistimage.updated", by, changes=diff(image, before))
    return image


@transaction.atomic
def move_work_image(*, image: ArtistImage, by, position: int) -> ArtistImage:
    """Move a work image to a place in its gallery (0: first); the others close up.

    Preconditions: ``by`` is the artist themself or staff. A place past the end is the end.
    """
    _check_image_editor(by, image.artist)
    Artist.objects.select_for_update().filter(pk=image.artist_id).first()
    gallery = list(ArtistImage.objects.filter(artist_id=image.artist_id).order_by("position", "pk"))
    moving = next(item for item in gallery if item.pk == image.pk)
    gallery.remove(moving)
    gallery.insert(max(0, min(position, len(gallery))), moving)
    changed = []
    for place, item in enumerate(gallery):
        if item.position != place:
            item.position = place
            changed.append(item)
    ArtistImage.objects.bulk_update(changed, ["position"])
    # bulk_update sends no signal: the directory shows the first image.
    bump_for(changed)
    return moving


@transaction.atomic
def delete_work_image(*, image: ArtistImage, by) -> None:
    """Delete a work image and its files.

    Preconditions: ``by`` is the artist themself or staff; no application uses the image.
    """
    _check_image_editor(by, image.artist)
    image = ArtistImage.objects.select_for_update().get(pk=image.pk)
    files = [image.image, image.display, image.thumbnail]
    image_id = image.pk
    try:
        with transaction.atomic():
            image.delete()
    except ProtectedError:
        raise ArtistsError(
            _("This image is part of an application. Choose other images there first.")
        ) from None
    image.pk = image_id
    log_action(
        image, "artists.artistimage.deleted", by, changes={"artist": [image.artist_id, None]}
    )
    delete_files_on_commit(*files)


# Sign-up --------------------------------------------------------------------------------


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """Confirmation links for new accounts: used once, and no good for a password reset."""

    key_salt = "kulturvest.artists.signup"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


signup_tokens = SignupTokenGenerator()


def _awaiting_confirmation(user) -> bool:
    """Return True for an account made by sign-up whose link has not been followed yet."""
    return not user.is_active and user.last_login is None and not hasattr(user, "artist")


@transaction.atomic
def sign_up(*, name: str, email: str, password: str, language: str = "nb") -> None:
    """Start an artist account and send the confirmation link to the email address.

    The login (username: the email address) stays inactive until the link is followed.
    Signing up again before that sends a new link. When the address already has an
    account, that account is left as it is and its owner is told how to log in, so the
    page never reveals whether an address is registered.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    existing = (
        User.objects.filter(email__iexact=email).order_by("pk").first()
        or User.objects.filter(username__iexact=email).order_by("pk").first()
    )
    if existing is not None and not _awaiting_confirmation(existing):
        queue_in_transaction(_send_account_exists, existing.pk, language)
        return
    user = existing or User(username=email.lower(), email=email, is_active=False)
    first_name, _space, last_name = name.strip().rpartition(" ")
    user.first_name, user.last_name = (first_name, last_name) if first_name else (last_name, "")
    user.first_name, user.last_name = user.first_name[:150], user.last_name[:150]
    user.set_password(password)
    user.save()
    queue_in_transaction(_send_confirmation, user.pk, language)


@transaction.atomic
def confirm_sign_up(*, uidb64: str, token: str):
    """Activate the account of a confirmation link and give it the artist role and profile.

    An artist already on file with the same email address and no login (an earlier
    participant imported by staff) becomes this login's profile; otherwise a new profile
    is made. Raises ArtistsError for a link that is broken, used or expired.
    """
    User = get_user_model()
    invalid = ArtistsError(
        _("This confirmation link is not valid: it has been used, or it is too old.")
    )
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = User.objects.select_for_update().get(pk=pk)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist, ValidationError):
        raise invalid from None
    if user.is_active or not signup_tokens.check_token(user, token):
        raise invalid
    user.is_active = True
    user.save(update_fields=["is_active"])
    user.groups.add(Group.objects.get_or_create(name=Role.ARTIST)[0])
    artist = (
        Artist.objects.select_for_update()
        .filter(user__isnull=True, email__iexact=user.email)
        .order_by("pk")
        .first()
    )
    if artist is not None:
        artist.user = user
        artist.save(update_fields=["user", "updated_at"])
        log_action(artist, "artists.artist.login_linked", user, changes={"user": [None, user.pk]})
    else:
        create_artist(
            name=user.get_full_name() or user.email.split("@")[0],
            user=user,
            email=user.email,
            language=_active_language(),
            by=user,
        )
    return user


def _active_language() -> str:
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _send_confirmation(user_id: int, language: str) -> None:
    user = get_user_model().objects.get(pk=user_id)
    link = settings.SITE_URL + reverse(
        "artists:signup_confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), signup_tokens.make_token(user)],
    )
    with translation.override(language):
        body = render_to_string(
            "artists/profiles/signup_email.txt",
            {"user": user, "link": link, "days": settings.PASSWORD_RESET_TIMEOUT // 86400},
        )
        message = EmailMessage(
            subject=_("Confirm your artist account at Kulturvest"), body=body, to=[user.email]
        )
        # One email per link: signing up again sets a new password, so a new link.
        link_digest = hashlib.sha256(link.encode()).hexdigest()[:16]
        queue_email(message, kind="artists.signup_confirmation", about=user, occasion=link_digest)


def _send_account_exists(user_id: int, language: str) -> None:
    user = get_user_model().objects.get(pk=user_id)
    with translation.override(language):
        body = render_to_string(
            "artists/profiles/signup_exists_email.txt",
            {
                "user": user,
                "login_url": settings.SITE_URL + reverse("login"),
                "reset_url": settings.SITE_URL + reverse("password_reset"),
            },
        )
        message = EmailMessage(
            subject=_("You already have an account at Kulturvest"), body=body, to=[user.email]
        )
        # At most once a day: signing up with a known address again the same day (a
        # double submit, someone trying addresses) does not fill the owner's inbox.
        queue_email(
            message,
            kind="artists.signup_account_exists",
            about=user,
            occasion=timezone.localdate().isoformat(),
        )
