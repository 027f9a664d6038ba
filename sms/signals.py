"""Keeps the clause ↔ supplier links true when the gap assessment changes a clause's
"operated by" by itself (inline on the tree): the link goes when the clause names another
party, so the supplier's list never claims a clause it no longer operates."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from itsms.models import ClauseAssessment

from .models import SupplierClause


@receiver(post_save, sender=ClauseAssessment, dispatch_uid="sms.supplier_link_follows")
def supplier_link_follows_the_assessment(sender, instance, raw=False, **kwargs):
    if raw:
        return
    link = SupplierClause.objects.filter(assessment_id=instance.pk).select_related("supplier")
    link = link.first()
    if link is None:
        return
    supplier = link.supplier
    if (instance.other_party, instance.other_party_name) != (supplier.kind, supplier.title[:200]):
        link._history_user = getattr(instance, "_history_user", None)
        link.delete()
