"""A file's bytes as tables of cells: CSV in UTF-8 or GBK, XLSX workbooks, and a refusal for anything else."""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
import zlib
from typing import TYPE_CHECKING

from ..errors import BadInput
from ..i18n import _
from .model import Cell

if TYPE_CHECKING:
    from openpyxl import Workbook


Table = list[tuple[int, list[Cell]]]  # (line or row number, cells)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _sniff_binary(data: bytes) -> None:
    """Refuse, with a useful sentence, the files people are likely to try that are not CSV or XLSX."""
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise BadInput(
                _("this is a password-protected Excel file, which cannot be read: remove the password and save it as XLSX or CSV")
            )
        raise BadInput(
            _(
                "this is an old-style Excel .xls file (such as a China Construction Bank statement), which cannot be "
                "read: open it in Excel or WPS and save it as CSV or XLSX, then import that file"
            )
        )
    if data.startswith(b"%PDF"):
        raise BadInput(
            _(
                "this is a PDF (banks such as China Merchants Bank send PDF statements), which cannot be read: "
                "export the bill as CSV or XLSX, or convert the PDF to CSV first"
            )
        )
    if data.startswith(_IMAGE_MAGIC):
        raise BadInput(_("this is an image, not a statement: expected an Alipay or WeChat Pay bill (CSV or XLSX) or a bank CSV"))
    head = data[:4096]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BadInput(
            _("this is a binary file, not a statement: expected an Alipay or WeChat Pay bill (CSV or XLSX) or a bank CSV")
        )


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first: strict UTF-8 rarely accepts GBK by accident, the reverse is common."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # Alipay bills are GBK; GB18030 is its superset
    except UnicodeDecodeError:
        raise BadInput(
            _("this file is neither UTF-8 nor GBK text, nor an XLSX workbook; expected a CSV or XLSX statement")
        ) from None


def _csv_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _parse_line(line: str, delimiter: str) -> list[Cell]:
    try:
        return list(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return [line]


def _csv_records(lines: list[str], start: int, delimiter: str) -> Table:
    """Parse lines[start:] as CSV (quoted fields may span lines); numbers are 1-based line numbers."""
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    table: Table = []
    previous = 0
    try:
        for record in reader:
            table.append((start + previous + 1, list(record)))
            previous = reader.line_num
    except csv.Error as exc:
        raise BadInput(_("line {line}: the CSV cannot be read: {error}").format(line=start + previous + 1, error=exc)) from None
    return table


def _xlsx_tables(data: bytes) -> list[Table]:
    try:
        import openpyxl  # heavy: only when a workbook is imported
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise BadInput(_("reading XLSX files needs the openpyxl package; install it or save the statement as CSV")) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Workbook contains no default style" and the like
        try:
            # read_only streams the sheet: memory stays small and the limits below stop a bomb early
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except _damaged_workbook_errors():
            raise BadInput(_("this XLSX workbook cannot be opened; it may be damaged or not a real XLSX file")) from None
        try:
            return _read_sheets(book)
        except _damaged_workbook_errors():  # read_only parses the sheet while it is read
            raise BadInput(_("this XLSX workbook cannot be read; it may be damaged")) from None
        finally:
            book.close()


def _damaged_workbook_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl raises for a damaged or crafted workbook (found by fuzzing; see tests/test_fuzz.py)."""
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    # OSError is openpyxl's "no valid workbook part": the bytes are in memory, no disk is involved
    return (
        *_DAMAGED_ZIP,
        OSError,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        ParseError,
        InvalidFileException,
    )


def _read_sheets(book: Workbook) -> list[Table]:
    tables = []
    text = 0  # characters read so far: shared strings repeat one string in many cells at no cost in the file
    for sheet in book.worksheets:
        table = []
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if n > MAX_ROWS:
                raise BadInput(_("this workbook has more than {n} rows; export a shorter period").format(n=MAX_ROWS))
            for value in row:
                if isinstance(value, str):
                    if len(value) > MAX_CELL_CHARS:
                        raise BadInput(
                            _("row {n} has a cell of more than {limit} characters; this is not a statement").format(
                                n=n, limit=f"{MAX_CELL_CHARS:,}"
                            )
                        )
                    text += len(value)
            if text > MAX_UNPACKED_BYTES:
                raise BadInput(_("this workbook holds more than 64 MB of text; export a shorter period"))
            table.append((n, list(row)))
        tables.append(table)
    return tables


# a damaged zip: bad structure, bad compressed data, a version or method zipfile does not read
_DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # a year of a busy WeChat Pay account unpacks to a few MB
MAX_ROWS = 200_000
MAX_CELL_CHARS = 10_000  # a bank's longest field, a remark or a merchant's name, is a few hundred


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except _DAMAGED_ZIP:
        raise BadInput(_("this looks like a zip archive or XLSX workbook, but it is damaged")) from None
    if unpacked > MAX_UNPACKED_BYTES:  # a zip bomb, or far more than one statement
        raise BadInput(_("this workbook unpacks to more than 64 MB; export a shorter period"))
    if "xl/workbook.xml" in names or any(n.endswith("/workbook.xml") for n in names):
        return "xlsx"
    raise BadInput(
        _("this is a zip archive (Alipay sends its bills as a password-protected zip): unzip it and import the CSV file inside")
    )
