"""Object permissions for organisations (autodiscovered by `rules`)."""

import rules

from percontohan.permissions import is_editor, is_in_scope

rules.add_perm("partners.view_organisation", is_in_scope)
rules.add_perm("partners.change_organisation", is_editor & is_in_scope)
