"""Serving stored uploads (SECURITY.md UP-02): through permission-checked views only, under a
server-generated name, `nosniff`, and as a download unless the file was re-encoded by the app."""

from django.http import FileResponse, Http404


def stored_file_response(field_file, *, filename: str, content_type: str, as_attachment: bool = True) -> FileResponse:
    """The stored file as a response; 404 when it is missing from storage. The caller checks permission."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
