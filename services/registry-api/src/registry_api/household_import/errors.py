from typing import ClassVar

from servicekit.errors import AppError, NotFound, Unprocessable


class ImportNotFound(NotFound):
    code = "import_not_found"
    title = "No such import"


class ImportTooLarge(AppError):
    status_code: ClassVar[int] = 413
    code = "import_too_large"
    title = "The file is larger than an import may be"


class ImportFileEmpty(Unprocessable):
    code = "import_file_empty"
    title = "The file is empty"


class ImportFormatUnsupported(Unprocessable):
    code = "import_format_unsupported"
    title = "Send a .csv, .xlsx, .xls or .ods file"


class ImportCommuneUnknown(Unprocessable):
    code = "commune_not_current"
    title = "The commune is not a current (2025) commune"
