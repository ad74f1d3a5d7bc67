"""The pair's shared links and files: the list (the pair alone), add a link, upload a file,
delete one's own, and the one door a file's bytes go out by (``file_download``): the
pair only, as an attachment, ``nosniff``, never cached by a shared cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core import permissions
from meridian.core.errors import MeridianError, show_error
from meridian.mentorships import files, selectors
from meridian.mentorships.file_forms import LinkForm, UploadForm
from meridian.mentorships.models import Mentorship
from meridian.mentorships.serving import LimitHandler, download, too_big

PAGE = "mentorships/files.html"


def limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` with the upload limit installed before the body (and the CSRF token in it)
    is read: Django's documented csrf_exempt + csrf_protect order."""
    protected = csrf_protect(view)

    @csrf_exempt
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers = [LimitHandler(request), *request.upload_handlers]
        return protected(request, *args, **kwargs)

    return wrapper


def _context(request: AuthedRequest, mentorship: Mentorship, **forms: Any) -> dict[str, Any]:
    writer = permissions.takes_part(request.user, mentorship)
    return {
        "mentorship": mentorship,
        "items": list(files.items_of(mentorship)),
        "writer": writer,
        "link_form": forms.get("link_form") or (LinkForm() if writer else None),
        "upload_form": forms.get("upload_form") or (UploadForm() if writer else None),
        "max_bytes": files.max_bytes(),
    }


def _answer(request: AuthedRequest, mentorship: Mentorship, status: int = 200, **forms: Any) -> HttpResponse:
    context = _context(request, mentorship, **forms)
    return render(request, f"{PAGE}#sharing_answer" if request.htmx else PAGE, context, status=status)


@login_required
def file_list(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    return render(request, PAGE, _context(request, selectors.get_pair_for_user(request.user, public_id)))


@login_required
@require_POST
def link_add(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = selectors.get_pair_for_user(request.user, public_id, write=True)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            files.shared_link_add(
                mentorship=mentorship,
                user=request.user,
                url=form.cleaned_data["url"],
                note=form.cleaned_data["note"],
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The link is shared."))
            return _answer(request, mentorship) if request.htmx else redirect("mentorships:files", public_id)
    return _answer(request, mentorship, link_form=form)


def _too_big_form() -> UploadForm:
    form = UploadForm(data={})
    form.is_valid()
    form.errors["file"] = form.error_class([files.too_big_message()])
    return form


@limited
@login_required
@require_POST
def file_upload(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = selectors.get_pair_for_user(request.user, public_id, write=True)
    if too_big(request) or getattr(request, "upload_too_big", False):  # the first: nothing read
        return _answer(request, mentorship, status=413, upload_form=_too_big_form())
    form = UploadForm(request.POST, request.FILES)
    if getattr(request, "upload_too_big", False):
        return _answer(request, mentorship, status=413, upload_form=_too_big_form())
    if form.is_valid():
        try:
            files.shared_file_add(
                mentorship=mentorship,
                user=request.user,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The file is shared."))
            return _answer(request, mentorship) if request.htmx else redirect("mentorships:files", public_id)
    return _answer(request, mentorship, upload_form=form)


@login_required
@require_POST
def item_delete(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    item = selectors.get_shared_item_for_user(request.user, public_id, write=True)
    mentorship = item.mentorship
    try:
        files.shared_item_delete(item=item, user=request.user)
    except MeridianError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Deleted."))
    return (
        _answer(request, mentorship) if request.htmx else redirect("mentorships:files", mentorship.public_id)
    )


@login_required
def file_download(request: AuthedRequest, public_id: UUID) -> FileResponse:
    return download(selectors.get_shared_item_for_user(request.user, public_id))
