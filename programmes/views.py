"""Pages of calls for applications: the public list and each call's guide and materials; the lead bureau's editor."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from policy_portal.exceptions import DomainError
from policy_portal.forms import add_domain_error

from .forms import CallForm, MaterialFormSet
from .models import Call, Material
from .selectors import call_get, call_list
from .services import call_create, material_template_set, may_manage


def call_list_page(request):
    status = request.GET.get("status") or None
    if status not in (None, *Call.Status.values):
        status = None
    clause = request.GET.get("clause", "").strip()[:16] or None
    page = Paginator(call_list(status=status, clause=clause), 20).get_page(request.GET.get("page"))
    return render(request, "programmes/call_list.html", {"page": page, "status": status, "clause": clause,
                                                         "statuses": Call.Status.choices})


def call_page(request, pk: int):
    call = call_get(pk)
    if call is None:
        raise Http404
    manager = request.user.is_authenticated and may_manage(request.user, [c.code for c in call.clauses.all()])
    return render(request, "programmes/call_detail.html", {"call": call, "manager": manager})


@login_required
def call_new(request):
    form = CallForm(request.POST or None)
    materials = MaterialFormSet(request.POST or None, prefix="m")
    if request.method == "POST" and form.is_valid() and materials.is_valid():
        v = form.cleaned_data
        try:
            call = call_create(
                actor=request.user, title_zh=v["title_zh"], title_en=v["title_en"], clause_codes=v["clause_codes"],
                opens_at=v["opens_at"], closes_at=v["closes_at"], guide_zh=v["guide_zh"],
                review_days={"single": v["days_single"], "district": v["days_district"], "city": v["days_city"]},
                appeal_days=v["appeal_days"],
                materials=[m for m in materials.cleaned_data if m.get("name_zh")])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("programmes:call", pk=call.pk)
    return render(request, "programmes/call_form.html", {"form": form, "materials": materials},
                  status=400 if form.errors or any(materials.errors) else 200)


@login_required
@require_POST
def template_upload(request, pk: int, material_id: int):
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError("required", "Choose a file.", "file")
        material_template_set(actor=request.user, material_id=material_id, upload=upload)
    except (DomainError, Material.DoesNotExist) as exc:
        messages.error(request, exc.message if isinstance(exc, DomainError) else _("No such material."))
    else:
        messages.success(request, _("Template saved."))
    return redirect("programmes:call", pk=pk)


def template_download(request, pk: int, material_id: int):
    material = Material.objects.filter(pk=material_id, call_id=pk).exclude(template="").first()
    if material is None:
        raise Http404
    return FileResponse(material.template.open("rb"), as_attachment=True, filename=material.template_name)
