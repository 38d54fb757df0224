"""Pages of artists' accounts and profiles: sign-up, the own profile and gallery, the public page.

Each page parses its form and calls one service. Invalid values the services find come
back as form errors, and a broken rule (ArtistsError) as an error at the top of the form.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artists.exceptions import ArtistsError
from artists.forms.profiles import ProfileForm, SignupForm, WorkImageForm
from artists.models import Artist, ArtistImage
from artists.policies import OWN_ARTIST_PAGES, OWN_WORK_IMAGE, SEE_PUBLIC_PAGES, SIGN_UP
from artists.selectors.profiles import (
    accepted_editions,
    artist_of,
    gallery_of,
    public_artist_page,
)
from artists.services import profiles as services
from core import ratelimit
from core.policies import requires


def own_artist(request) -> Artist:
    """Return the artist profile of the request's login (OWN_ARTIST_PAGES admits only
    logins with one)."""
    return artist_of(request.user)


def _form_error(form, exc: Exception) -> None:
    """Put a service's error on the form: field errors on their fields, rules on top."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))


# Sign-up --------------------------------------------------------------------------------


@requires(SIGN_UP, obj=None)
@ratelimit.rate_limited(ratelimit.ARTIST_SIGNUP)
def signup(request):
    if request.user.is_authenticated:
        return redirect("artists:profile" if artist_of(request.user) else "events:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.sign_up(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            language=translation.get_language() or "nb",
        )
        return redirect("artists:signup_done")
    return render(
        request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200
    )


@requires(SIGN_UP, obj=None)
def signup_done(request):
    return render(request, "registration/signup_done.html")


@requires(SIGN_UP, obj=None)
def signup_confirm(request, uidb64, token):
    try:
        user = services.confirm_sign_up(uidb64=uidb64, token=token)
    except ArtistsError as exc:
        return render(
            request, "registration/signup_invalid.html", {"message": str(exc)}, status=400
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome! Your account is ready. Fill in your profile."))
    return redirect("artists:profile")


# The own profile --------------------------------------------------------------------------


@requires(OWN_ARTIST_PAGES, obj=None)
def profile(request):
    artist = own_artist(request)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=artist)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                artist=artist,
                by=request.user,
                values=form.profile_values(),
                disciplines=list(form.cleaned_data["disciplines"]),
                portrait=form.cleaned_data["portrait"],
                remove_portrait=form.cleaned_data["remove_portrait"],
            )
        except (ValidationError, ArtistsError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("artists:profile")
        artist.refresh_from_db()
    return render(
        request,
        "artists/profiles/profile.html",
        {"artist": artist, "form": form, "section": "profile"},
        status=400 if form.errors else 200,
    )


@requires(OWN_ARTIST_PAGES, obj=None)
def profile_preview(request):
    artist = own_artist(request)
    return _artist_page(request, artist.slug, preview=True)


@requires(OWN_ARTIST_PAGES, obj=None)
def gallery(request):
    artist = own_artist(request)
    form = WorkImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_work_image(
                artist=artist,
                by=request.user,
                upload=form.cleaned_data["image"],
                **form.image_values(),
            )
        except (ValidationError, ArtistsError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The image is added to your gallery."))
            return redirect("artists:gallery")
    return render(
        request,
        "artists/profiles/gallery.html",
        {"artist": artist, "images": gallery_of(artist), "form": form, "section": "gallery"},
        status=400 if form.errors else 200,
    )


def _own_image(request, pk):
    return OWN_WORK_IMAGE.get_object(request, ArtistImage.objects.select_related("artist"), pk=pk)


@requires(OWN_WORK_IMAGE)
def gallery_image(request, pk):
    image = _own_image(request, pk)
    form = WorkImageForm(request.POST or None, instance=image)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_work_image(image=image, by=request.user, values=form.image_values())
        except (ValidationError, ArtistsError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("artists:gallery")
        image.refresh_from_db()
    return render(
        request,
        "artists/profiles/image.html",
        {"artist": image.artist, "image": image, "form": form, "section": "gallery"},
        status=400 if form.errors else 200,
    )


@requires(OWN_WORK_IMAGE)
@require_POST
def gallery_image_move(request, pk):
    image = _own_image(request, pk)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Choose where to move the image."))
    services.move_work_image(image=image, by=request.user, position=position)
    return redirect(f"{reverse('artists:gallery')}#image-{image.pk}")


@requires(OWN_WORK_IMAGE)
def gallery_image_delete(request, pk):
    image = _own_image(request, pk)
    if request.method == "POST":
        try:
            services.delete_work_image(image=image, by=request.user)
        except ArtistsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The image is deleted."))
        return redirect("artists:gallery")
    return render(
        request,
        "artists/profiles/image_delete.html",
        {"artist": image.artist, "image": image, "section": "gallery"},
    )


# The public page ----------------------------------------------------------------------------


@requires(SEE_PUBLIC_PAGES, obj=None)
def artist_detail(request, slug):
    return _artist_page(request, slug, preview=False)


def _artist_page(request, slug, *, preview: bool):
    artist = get_object_or_404(public_artist_page(slug))
    return render(
        request,
        "artists/profiles/artist_detail.html",
        {
            "artist": artist,
            "images": artist.public_images,
            "editions": accepted_editions(artist),
            "preview": preview,
            "section": "preview",
        },
    )


urlpatterns = [
    path("accounts/signup/", signup, name="signup"),
    path("accounts/signup/done/", signup_done, name="signup_done"),
    path("accounts/signup/<str:uidb64>/<str:token>/", signup_confirm, name="signup_confirm"),
    path("kunstner/profil/", profile, name="profile"),
    path("kunstner/profil/forhandsvisning/", profile_preview, name="profile_preview"),
    path("kunstner/profil/bilder/", gallery, name="gallery"),
    path("kunstner/profil/bilder/<int:pk>/", gallery_image, name="gallery_image"),
    path("kunstner/profil/bilder/<int:pk>/flytt/", gallery_image_move, name="gallery_image_move"),
    path(
        "kunstner/profil/bilder/<int:pk>/slett/", gallery_image_delete, name="gallery_image_delete"
    ),
    path("kunstnere/<slug:slug>/", artist_detail, name="artist_detail"),
]
