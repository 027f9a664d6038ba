from itsms.shared.views import OrganizationMixin

from .. import permissions as audit_permissions
from ..models import Audit


class AuditMixin(OrganizationMixin):
    """An audit of the organisation, found through the restricted queryset (an outside auditor
    sees only the audits assigned to them: the policy of ``Audit``).

    ``write_action`` names what a POST does to the audit ("record" a finding or a note, "lead"
    the plan and the closing meeting, "change" it); ``get_audit`` answers 404 for an audit the
    user may not see and 403 for one they may not do that to.
    """

    audit_kwarg = "pk"

    def audits(self):
        return self.scoped(Audit)

    def get_audit(self):
        if not hasattr(self, "_audit"):
            self._audit = self.get_object(
                self.audits().select_related("certification_body", "audit_guide"),
                pk=self.kwargs[self.audit_kwarg],
            )
        return self._audit

    def audit_context(self, audit):
        may_manage = audit_permissions.may_manage(self.membership)
        may_record = self.allows("record", audit)
        return {
            "audit": audit,
            "may_manage": may_manage,
            "may_record": may_record,
            "may_lead": self.allows("lead", audit),
            # permissions.may_take_pack, from the two answers above (no query of its own)
            "may_take_pack": may_manage or may_record,
        }
