from servicekit.errors import Conflict, NotFound, Unprocessable


class TemplateNotFound(NotFound):
    code = "checklist_template_not_found"
    title = "No such checklist template"


class TemplateVersionNotFound(NotFound):
    code = "checklist_template_version_not_found"
    title = "No such checklist template version"


class TemplateCodeTaken(Conflict):
    code = "checklist_template_code_taken"
    title = "A checklist template with this code already exists"


class TemplateVersionInUse(Conflict):
    code = "checklist_template_version_in_use"
    title = "The version is used by a case: it can no longer change (add a new version)"


class ChecklistKeysDuplicated(Unprocessable):
    code = "checklist_keys_duplicated"
    title = "Each checklist item needs its own key"
