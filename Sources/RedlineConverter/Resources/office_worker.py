"""A warm LibreOffice for Redline's converter pool.

Started by the Swift pool with the system Python (which has the `uno` module). It starts one
headless LibreOffice with its own profile directory, connects over a private UNO pipe, prints one
JSON line when ready, then converts documents to PDF on request: one JSON request per stdin line,
one JSON reply per stdout line. It exits (taking LibreOffice with it) when stdin closes or its
parent dies, so a killed converter never leaves office processes behind.
"""

import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1


def die_with_parent():
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def page_count(document):
    """Pages as they will be exported: Writer's laid-out page count, slides of a presentation or
    drawing; 0 when unknown (spreadsheets paginate only while exporting)."""
    try:
        if document.supportsService("com.sun.star.text.TextDocument"):
            return document.getCurrentController().getPropertyValue("PageCount")  # waits for the layout
        if document.supportsService("com.sun.star.drawing.GenericDrawingDocument"):  # Impress and Draw
            return document.getDrawPages().getCount()
    except Exception:
        pass
    return 0


def main():
    try:
        os.setsid()  # own process group: the pool kills the group (this script and LibreOffice) at once
    except OSError:
        pass  # already a session leader (the launcher started us in our own session)
    die_with_parent()
    profile, pipe_name, soffice = sys.argv[1], sys.argv[2], sys.argv[3]
    memory_limit = int(sys.argv[4]) if len(sys.argv) > 4 else 0

    def prepare_office():
        die_with_parent()
        if memory_limit > 0:  # a decompression or XML bomb hits this wall instead of the machine
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         "--nofirststartwizard", "-env:UserInstallation=file://" + profile,
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe_name],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=prepare_office,
    )
    import uno
    import unohelper
    from com.sun.star.beans import PropertyValue
    from com.sun.star.task import XInteractionHandler

    class PasswordRefusal(unohelper.Base, XInteractionHandler):
        """Answers LibreOffice's "enter the password" request with Abort, at once, and remembers it.

        Headless LibreOffice must never wait for a password, and a failed load must say why. A
        password request is recognised by its XInteractionPassword continuation (reading the request
        itself raises in this Python's UNO bridge). Other requests get no answer, as with no handler.
        """

        def __init__(self):
            self.asked = False

        def handle(self, request):
            try:
                continuations = request.getContinuations()
                names = [{t.typeName for t in c.getTypes()} for c in continuations]
                if not any(n & {"com.sun.star.task.XInteractionPassword", "com.sun.star.task.XInteractionPassword2"} for n in names):
                    return
                self.asked = True
                for continuation, types in zip(continuations, names):
                    if "com.sun.star.task.XInteractionAbort" in types:
                        continuation.select()
                        return
            except Exception:  # never let an exception travel back into LibreOffice
                pass

    def props(**values):
        out = []
        for key, value in values.items():
            p = PropertyValue()
            p.Name, p.Value = key, value
            out.append(p)
        return tuple(out)

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    context = None
    deadline = time.monotonic() + 180
    while context is None:
        if office.poll() is not None:
            reply({"ready": False, "error": "LibreOffice exited with code %d while starting" % office.returncode})
            return 1
        try:
            context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe_name)
        except Exception:  # not listening yet
            if time.monotonic() > deadline:
                reply({"ready": False, "error": "LibreOffice did not start within 180 s"})
                office.kill()
                return 1
            time.sleep(0.2)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    dispatcher = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)

    def export_options():
        """The PDF export's FilterData: only what comparing and viewing need. Form fields are painted
        as text (as PDF widgets their values escape text extraction); no outline or comment pages;
        pictures above 300 dpi are downsampled (the viewer renders at 144 dpi)."""
        return uno.Any("[]com.sun.star.beans.PropertyValue", props(
            ExportFormFields=False, ExportBookmarks=False, ExportNotes=False, ExportNotesPages=False, UseTaggedPDF=False,
            ReduceImageResolution=True, MaxImageResolution=300))

    def store_pdf(document, path, export_filter):
        arguments = uno.Any("[]com.sun.star.beans.PropertyValue", props(FilterName=export_filter, FilterData=export_options()))
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(path), arguments))

    def warm_up():
        """Loads Writer's DOCX import and PDF export once, so the first real conversion of this
        process (after every recycle, too) does not pay for it."""
        sample, pdf = os.path.join(profile, "warm-up.docx"), os.path.join(profile, "warm-up.pdf")
        document = desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, props(Hidden=True))
        try:
            document.getText().setString("Warm-up: the Supplier shall deliver 52 units.")
            document.storeToURL(uno.systemPathToFileUrl(sample), props(FilterName="MS Word 2007 XML"))
        finally:
            document.close(True)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(sample), "_blank", 0, props(Hidden=True))
        try:
            store_pdf(document, pdf, "writer_pdf_Export")
        finally:
            document.close(True)
        for path in (sample, pdf):
            os.remove(path)

    try:
        warm_up()
    except Exception:
        pass  # a cold first conversion is slower, not wrong
    reply({"ready": True, "office_pid": office.pid})

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        document = None
        refusal = PasswordRefusal()
        try:
            # Not read-only: accepting or rejecting tracked changes edits the loaded copy. The original
            # file is never written back; only the PDF export is stored, elsewhere. No Password
            # property: with one LibreOffice tries it and never reports that a password was wanted.
            try:
                document = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(request["input"]), "_blank", 0,
                    props(Hidden=True, MacroExecutionMode=0, UpdateDocMode=0, InteractionHandler=refusal))
            except Exception:
                if not refusal.asked:
                    raise
            if document is None and refusal.asked:  # only a load that failed needed the password to open
                reply({"ok": False, "password_protected": True, "error": "the document is password-protected"})
                continue
            if document is None:
                raise RuntimeError("LibreOffice could not open the document; it may be corrupt")
            tracked = request.get("tracked_changes", "accept")
            if tracked in ("accept", "reject") and document.supportsService("com.sun.star.text.TextDocument"):
                frame = document.getCurrentController().getFrame()
                command = ".uno:AcceptAllTrackedChanges" if tracked == "accept" else ".uno:RejectAllTrackedChanges"
                dispatcher.executeDispatch(frame, command, "", 0, ())
            if document.supportsService("com.sun.star.presentation.PresentationDocument"):
                export_filter = "impress_pdf_Export"
            elif document.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
                export_filter = "calc_pdf_Export"
            elif document.supportsService("com.sun.star.drawing.DrawingDocument"):
                export_filter = "draw_pdf_Export"
            else:
                export_filter = "writer_pdf_Export"
            pages = page_count(document)
            max_pages = request.get("max_pages", 0)
            if max_pages and pages > max_pages:  # refused before the PDF export, about half of the work
                reply({"ok": False, "pages": pages, "too_many_pages": True, "error": "%d pages" % pages})
                continue
            # Comments are not printed (ExportNotes is off in export_options).
            store_pdf(document, request["output"], export_filter)
            reply({"ok": True, "pages": pages})
        except Exception as error:  # report, keep serving
            message = getattr(error, "Message", "") or str(error) or error.__class__.__name__
            reply({"ok": False, "error": message.strip()})
        finally:
            if document is not None:
                try:
                    document.close(True)
                except Exception:
                    try:
                        document.dispose()
                    except Exception:
                        pass
    office.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
