"""Live preview: build, serve, and rebuild on every change; the browser reloads by itself.

A build that fails prints its problems and keeps the last good site served.
"""

import gc
import threading
import time
from pathlib import Path

from .build import PROJECT_ROOT, BuildError, build_site, log_failure
from .serve import make_server

WATCHED = ("content", "theme", "plugins", "pelicanconf.py")


def rebuild(settings_file, output, report=print, **overrides):
    """Build once; return True when the site was replaced."""
    started = time.monotonic()
    try:
        build_site(settings_file, output=output, report=report, **overrides)
    except BuildError as error:
        report("Build failed; still serving the last good site:")
        for line in error.problems:
            report(f"  {line}")
        return False
    except Exception as error:  # a template or plugin bug: one line, keep serving
        report(f"{log_failure(output, error)}. Still serving the last good site.")
        return False
    report(f"Rebuilt in {time.monotonic() - started:.1f} s")
    return True


def live_preview(settings_file, output, host="127.0.0.1", port=8000):
    """Build, serve and rebuild until Ctrl+C; PortInUseError (before any build) if the port is taken."""
    import watchfiles

    token = {"value": str(time.time_ns())}
    # The port first: a taken port is said at once, not after a whole build.
    server = make_server(output, host, port, live_token=lambda: token["value"])
    # Built for the address it is served at: with --port 8001 the pages' links and stylesheet
    # must point there, not at pelicanconf.py's SITEURL.
    served_at = {"SITEURL": f"http://{host}:{port}"}
    rebuild(settings_file, output, **served_at)
    gc.collect()  # builds pause garbage collection (build.collection_paused): free this one's
    Path(output).mkdir(parents=True, exist_ok=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Live preview on http://{host}:{port}/ : edit and save, the page reloads (Ctrl+C to stop)")
    try:
        for changes in watchfiles.watch(*(PROJECT_ROOT / name for name in WATCHED),
                                        watch_filter=lambda change, path: not path.endswith((".mo", "~"))):
            names = sorted({Path(path).name for _, path in changes})
            print(f"Changed: {', '.join(names)}")
            if rebuild(settings_file, output, **served_at):
                token["value"] = str(time.time_ns())
            gc.collect()  # while the editor looks at the page
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
