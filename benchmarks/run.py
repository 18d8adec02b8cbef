"""Build benchmark: the hub's build against plain Pelican + pelican-i18n-subsites, from outside.

    invoke bench                          # N = 1,000 and 10,000 articles per language, 3 paired runs
    invoke bench --quick                  # smoke test: N = 20, one run
    invoke bench --sizes 1000 --runs 1 --json results.json
    invoke bench --profile 1000           # cProfile of our cold `invoke build` at N = 1,000

Our build is only ever run through the project's commands (`invoke build`, `invoke livereload`,
`invoke check`) in a copy of the project whose content/ is the synthetic corpus; nothing of the
build is imported here, so the benchmark measures whatever engine the branch has.
docs/performance.md explains the method. Progress goes to stderr, the Markdown table to stdout.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

if __package__ in (None, ""):  # `python benchmarks/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import corpus  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLAIN_SETTINGS = Path(__file__).resolve().parent / "subsites" / "pelicanconf.py"
DEFAULT_WORKDIR = Path(os.environ.get("TMPDIR") or "/tmp") / "hubsite-bench"
PLAIN_REQUIREMENTS = ("pelican==4.12.0", "pelican-i18n-subsites==1.0.0", "markdown==3.11.3")
# Content-addressed caches kept by a "cold" build of ours (as Hugo keeps resources/_gen): picture
# variants and share cards. Any folder of these names inside the build's caches is kept.
KEPT_CACHES = ("images", "hub_seo_cards")
# Of the project, what the copy the benchmark builds in does not need (content/ is the corpus).
NOT_COPIED = {".git", ".venv", "node_modules", "output", "content", "tests", "docs", "benchmarks", ".ci",
              ".pytest_cache", "cache", ".cache"}
SAMPLE_EVERY = 0.1  # seconds between two samples of the process tree's memory
POLL_EVERY = 0.05  # seconds between two requests for the edited page in the live preview
LIVE_EDITS = 3


def log(message):
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


# --- Measuring one process tree -----------------------------------------------------------------
def descendants(root):
    """Process ids of `root` and of all its descendants, from /proc/<pid>/task/<tid>/children."""
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    stack += [int(child) for child in handle.read().split()]
            except OSError:
                pass
    return found


def memory_kib(pid):
    """(VmRSS, VmHWM) of a process in KiB; (0, 0) once it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


class TreeSampler(threading.Thread):
    """Samples the process tree under `root`: the peak of the sum of its processes' RSS, and the
    largest peak RSS (VmHWM) of any one of them."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root, self.done = root, threading.Event()
        self.peak_sum_kib = self.peak_one_kib = 0

    def run(self):
        while not self.done.is_set():
            total = 0
            for pid in descendants(self.root):
                rss, hwm = memory_kib(pid)
                total += rss
                self.peak_one_kib = max(self.peak_one_kib, hwm)
            self.peak_sum_kib = max(self.peak_sum_kib, total)
            self.done.wait(SAMPLE_EVERY)

    def stop(self):
        self.done.set()
        self.join()


def measure(command, cwd, log_file, env=None, check=True):
    """Run `command` as a new process group; wall seconds, CPU seconds (user + system of the whole
    tree: wait4 returns the child's usage with that of every descendant it waited for), the
    largest RSS of any one process (wait4's maxrss, or a sampled VmHWM if larger) and the sampled
    peak of the tree's summed RSS."""
    with open(log_file, "wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if check and process.returncode != 0:
        tail = Path(log_file).read_text(errors="replace").splitlines()[-20:]
        raise RuntimeError(f"exit {process.returncode}: {' '.join(map(str, command))} (log {log_file})\n"
                           + "\n".join(tail))
    return {"wall_s": round(seconds, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
            "peak_one_mib": round(max(usage.ru_maxrss, sampler.peak_one_kib) / 1024, 1),
            # Sampled, so a short peak can fall between two samples; never less than the largest
            # process, since the tree held at least that much when that process peaked.
            "peak_sum_mib": round(max(sampler.peak_sum_kib, usage.ru_maxrss, sampler.peak_one_kib) / 1024, 1),
            "exit": process.returncode}


def count_files(root):
    return sum(len(files) for _, _, files in os.walk(root))


def compare_trees(left, right, limit=5):
    """Differences between two folders, file by file and byte for byte: [] when equal."""
    def files(root):
        return {os.path.relpath(os.path.join(folder, name), root)
                for folder, _, names in os.walk(root) for name in names}

    left_files, right_files = files(left), files(right)
    differences = [f"only in the rebuild: {name}" for name in sorted(left_files - right_files)[:limit]]
    differences += [f"only in the clean build: {name}" for name in sorted(right_files - left_files)[:limit]]
    for name in sorted(left_files & right_files):
        if len(differences) >= limit:
            break
        a, b = Path(left, name), Path(right, name)
        if a.stat().st_size != b.stat().st_size or a.read_bytes() != b.read_bytes():
            differences.append(f"differs: {name}")
    return differences


# --- The two sites ------------------------------------------------------------------------------
def machine_info():
    cpu = "unknown CPU"
    ram_kib = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
    except (OSError, TypeError):
        pass
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True).stdout.strip() or "unknown"
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(ram_kib / 1024 / 1024, 1),
            "python": sys.version.split()[0], "commit": commit,
            "started": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load_average_at_start": round(os.getloadavg()[0], 2)}


def ensure_plain_venv(workdir):
    """A separate virtualenv with plain Pelican + pelican-i18n-subsites, made once per workdir."""
    venv = Path(workdir) / "plain-venv"
    pelican = venv / "bin" / "pelican"
    stamp = venv / ".bench-requirements"
    wanted = "\n".join(PLAIN_REQUIREMENTS)
    if pelican.exists() and stamp.exists() and stamp.read_text() == wanted:
        return pelican
    log(f"installing {', '.join(PLAIN_REQUIREMENTS)} into {venv}")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *PLAIN_REQUIREMENTS], check=True)
    stamp.write_text(wanted)
    return pelican


def project_inputs():
    return ((PROJECT_ROOT / "content" / "taxonomy.toml").read_text(encoding="utf-8"),
            (PROJECT_ROOT / "content" / "editions.toml").read_text(encoding="utf-8"))


class OurSite:
    """A copy of the project (code, theme, settings; not its content, tests or venv) whose content/
    is a corpus, built with the project's own commands and the project's virtualenv."""

    def __init__(self, root, corpus_dir):
        self.root = Path(root)
        self.logs = self.root.parent / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)

        def ignore(folder, names):
            top = Path(folder) == PROJECT_ROOT
            return {name for name in names if name in ("__pycache__",) or name.endswith(".pyc")
                    or (top and (name in NOT_COPIED or name.startswith(".output") or name.endswith(".egg-info")))}

        shutil.copytree(PROJECT_ROOT, self.root, ignore=ignore, symlinks=True)
        self.use_corpus(corpus_dir)
        # Compiled once here, as in the project's own tree: no measured build compiles the code.
        subprocess.run([sys.executable, "-m", "compileall", "-q", "hubsite", "plugins", "tasks.py", "pelicanconf.py"],
                       cwd=self.root, check=True, stdout=subprocess.DEVNULL)
        self.source_names = set(os.listdir(self.root))
        # This copy's packages, not the project's editable install, for every command run here.
        self.env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, [str(self.root), os.environ.get("PYTHONPATH")])))
        invoke = Path(sys.executable).with_name("invoke")
        self.invoke = [str(invoke)] if invoke.exists() else [sys.executable, "-m", "invoke"]

    def use_corpus(self, corpus_dir):
        """Make `corpus_dir` this site's content/. Texts are copied (edits must not reach the
        cached corpus); photos, never edited, are hard-linked."""
        shutil.rmtree(self.root / "content", ignore_errors=True)
        shutil.copytree(corpus_dir, self.root / "content", copy_function=link_or_copy_photo)

    @property
    def output(self):
        return self.root / "output"

    def command(self, *arguments):
        return [*self.invoke, *arguments]

    def run(self, name, *arguments, check=True):
        return measure(self.command(*arguments), self.root, self.logs / f"{self.root.name}-{name}.log",
                       env=self.env, check=check)

    def make_cold(self):
        """Remove the output and everything else the builds left in the site (caches, leftovers),
        except, inside the cache folders (a name with "cache"), the content-addressed
        picture-variant and share-card caches."""
        for name in set(os.listdir(self.root)) - self.source_names:
            path = self.root / name
            if "cache" in name and path.is_dir() and not path.is_symlink():
                prune_except(path, KEPT_CACHES)
            else:
                remove(path)

    def build(self, name):
        result = self.run(name, "build")
        return result | {"files": count_files(self.output)}

    def check_content(self):
        """The hub's content checks on the corpus, as an editor runs them (`invoke check`)."""
        return self.run("check", "check")


def remove(path):
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def prune_except(folder, kept):
    """Remove everything under `folder` but the subfolders named in `kept` (at any depth)."""
    for entry in list(folder.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            if entry.name not in kept:
                prune_except(entry, kept)
                if not any(entry.iterdir()):
                    entry.rmdir()
        else:
            entry.unlink()


def link_or_copy_photo(source, target):
    if source.endswith(".md"):
        return shutil.copy2(source, target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


class PlainSite:
    """Pelican + i18n-subsites, in its own virtualenv, on the text-only copy of the corpus."""

    def __init__(self, root, corpus_dir, pelican):
        self.root, self.corpus, self.pelican = Path(root), corpus_dir, pelican
        self.logs = self.root.parent / "logs"
        self.root.mkdir(parents=True, exist_ok=True)

    @property
    def output(self):
        return self.root / "output"

    def build(self, name):
        shutil.rmtree(self.output, ignore_errors=True)  # cold: no output; its reader cache is off
        command = [str(self.pelican), str(self.corpus), "-s", str(PLAIN_SETTINGS), "-o", str(self.output)]
        result = measure(command, self.root, self.logs / f"{self.root.name}-{name}.log")
        return result | {"files": count_files(self.output)}


# --- The editor's loop in the live preview ------------------------------------------------------
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, OSError):
        return None, ""


def headers_of(path):
    head = Path(path).read_text(encoding="utf-8").split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)


def article_path(path):
    """The article's address: ARTICLE_URL = "{lang}/{date:%Y}/{slug}/" of pelicanconf.py."""
    headers = headers_of(path)
    return f"{headers['Lang']}/{headers['Date'][:4]}/{headers['Slug']}/"


def live_preview_edits(site, articles, startup_timeout, edit_timeout=600, name=""):
    """Start `invoke livereload --port P`, wait until it serves, then for each article: append a
    unique marker paragraph and time from the write until a GET of its page shows the marker."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log_file = site.logs / f"{site.root.name}-{name}-livereload.log"
    with open(log_file, "wb") as output:
        process = subprocess.Popen(site.command("livereload", "--port", str(port)), cwd=site.root, env=site.env,
                                   stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    result = {"port": port, "edits": []}
    try:
        started = time.perf_counter()
        while fetch(base)[0] != 200:
            if process.poll() is not None:
                raise RuntimeError(f"invoke livereload stopped (exit {process.returncode}); log {log_file}")
            if time.perf_counter() - started > startup_timeout:
                raise RuntimeError(f"invoke livereload did not serve {base} in {startup_timeout} s; log {log_file}")
            time.sleep(0.2)
        result["startup_s"] = round(time.perf_counter() - started, 2)
        time.sleep(2)  # the watcher is set up once the first build has been served
        for number, article in enumerate(articles, 1):
            url = base + article_path(article)
            marker = f"benchmark-marker-{time.time_ns()}"
            text = article.read_text(encoding="utf-8")
            written = time.perf_counter()
            article.write_text(f"{text.rstrip()}\n\nParagraphe ajouté {marker}.\n", encoding="utf-8")
            while True:
                status, page = fetch(url)
                if status == 200 and marker in page:
                    seconds = time.perf_counter() - written
                    break
                if process.poll() is not None:
                    raise RuntimeError(f"invoke livereload stopped (exit {process.returncode}); log {log_file}")
                if time.perf_counter() - written > edit_timeout:
                    raise RuntimeError(f"{url} did not show the edit within {edit_timeout} s; log {log_file}")
                time.sleep(POLL_EVERY)
            result["edits"].append({"article": str(article.relative_to(site.root)), "url": url, "seconds": round(seconds, 3)})
            log(f"  live preview edit {number}/{len(articles)}: {seconds:.2f} s until {url} showed it")
            time.sleep(1)  # let the rebuild finish its work after the swap before the next save
    finally:
        stop_group(process)
    result["median_s"] = round(statistics.median(edit["seconds"] for edit in result["edits"]), 3) if result["edits"] else None
    return result


def stop_group(process):
    for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue


# --- The paired run ---------------------------------------------------------------------------
def edited(text, run):
    """`text` with one more sentence at the end: the 'one article edited' rebuild."""
    return f"{text.rstrip()}\n\nMise à jour {run} : la ville publie les données ouvertes.\n"


def summary(samples):
    """Medians over the runs; memory: the largest of the runs."""
    return {"wall_s": round(statistics.median(s["wall_s"] for s in samples), 3),
            "cpu_s": round(statistics.median(s["cpu_s"] for s in samples), 3),
            "peak_one_mib": max(s["peak_one_mib"] for s in samples),
            "peak_sum_mib": max(s["peak_sum_mib"] for s in samples),
            "files": samples[-1].get("files"), "runs": samples}


def bench_size(n, runs, seed, workdir, plain_pelican, ours=None, live=True, check_corpus=False):
    """Paired runs at N. `ours`: the site of the previous size (its picture and card caches are
    kept, as a checkout keeps them when its content grows), or None for a new one."""
    log(f"N={n}: corpus")
    ours_corpus, plain_corpus = corpus.ensure_corpus(n, seed, workdir, *project_inputs())
    stats = corpus.corpus_stats(ours_corpus)
    log(f"N={n}: {stats['articles']} articles ({stats['words_min']}-{stats['words_max']} words), {ours_corpus}")
    first_ever = ours is None
    if first_ever:
        ours = OurSite(workdir / "site-ours", ours_corpus)
    else:
        ours.use_corpus(ours_corpus)
        ours.make_cold()
    plain = PlainSite(workdir / f"site-plain-{n}", plain_corpus, plain_pelican)
    if check_corpus:
        ours.check_content()
        log(f"N={n}: the corpus passes `invoke check`")
    # A new site's first build is a first-ever one (empty picture and card caches); at a later
    # size, the first build of that corpus (cards of its articles to draw; pool photos cached).
    first = ours.build(f"{n}-first")
    first["first_ever"] = first_ever
    log(f"N={n}: ours, first build ({'first-ever' if first_ever else 'of this corpus'}): "
        f"{first['wall_s']:.1f} s, {first['cpu_s']:.1f} CPU s")
    articles = sorted((ours.root / "content" / "articles" / "fr").glob("*.md"))
    samples = {key: [] for key in ("ours_cold", "ours_unchanged", "ours_one_edit", "plain_cold")}
    checks, previous = [], None

    def run_ours(run):
        nonlocal previous
        ours.make_cold()
        samples["ours_cold"].append(ours.build(f"{n}-cold-{run}"))
        if previous is not None:  # the clean build of the content the last edit left
            checks.append(compare_trees(previous, ours.output))
        samples["ours_unchanged"].append(ours.build(f"{n}-unchanged-{run}"))
        article = articles[run % len(articles)]
        article.write_text(edited(article.read_text(encoding="utf-8"), run), encoding="utf-8")
        samples["ours_one_edit"].append(ours.build(f"{n}-one-edit-{run}"))
        previous = workdir / f"rebuilt-output-{n}"
        shutil.rmtree(previous, ignore_errors=True)
        ours.output.rename(previous)  # set aside; the next cold build starts without an output anyway
        log(f"N={n} run {run}: ours cold {samples['ours_cold'][-1]['wall_s']:.2f} s, nothing changed "
            f"{samples['ours_unchanged'][-1]['wall_s']:.2f} s, one edit {samples['ours_one_edit'][-1]['wall_s']:.2f} s")

    def run_plain(run):
        samples["plain_cold"].append(plain.build(f"cold-{run}"))
        log(f"N={n} run {run}: Pelican + i18n-subsites cold {samples['plain_cold'][-1]['wall_s']:.2f} s")

    for run in range(1, runs + 1):  # paired: ours and theirs alternate who goes first
        for step in ((run_ours, run_plain) if run % 2 else (run_plain, run_ours)):
            step(run)
    ours.make_cold()
    ours.build(f"{n}-verify")  # the clean build of the last edit's content
    checks.append(compare_trees(previous, ours.output))
    shutil.rmtree(previous, ignore_errors=True)
    differences = [line for found in checks for line in found]
    log(f"N={n}: one-edit rebuilds {'equal' if not differences else 'NOT equal'} to clean builds")
    result = {"articles_per_lang": n, "corpus": stats, "first_build": first,
              "steps": {key: summary(values) for key, values in samples.items()},
              "rebuild_equals_clean_build": not differences, "rebuild_differences": differences[:10]}
    if live:
        edits = [sorted((ours.root / "content" / "articles" / lang).glob("*.md"))[-1 - i] for i, lang in
                 zip(range(LIVE_EDITS), ("es", "en", "fr"))]
        result["live_preview"] = live_preview_edits(ours, edits, startup_timeout=max(600, n * 0.5), name=str(n))
    shutil.rmtree(plain.output, ignore_errors=True)
    return result, ours


def run_benchmark(sizes, runs, workdir, seed=2021, live=True, check_corpus=False, after_size=None):
    """Paired runs at each size; `after_size(result)` is called as each size is done."""
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    plain_pelican = ensure_plain_venv(workdir)
    result = {"machine": machine_info(), "runs": runs, "seed": seed, "sizes": {}}
    # A 5-article corpus through both builds first: the content checks run on it, problems show at
    # once, and no measured run pays for a cold disk cache of either tool's code.
    log("sanity run on a 5-article corpus")
    ours_corpus, plain_corpus = corpus.ensure_corpus(5, seed, workdir, *project_inputs())
    sanity = OurSite(workdir / "site-ours-5", ours_corpus)
    sanity.check_content()
    sanity.build("sanity")
    PlainSite(workdir / "site-plain-5", plain_corpus, plain_pelican).build("sanity")
    ours = None
    for n in sizes:
        result["sizes"][n], ours = bench_size(n, runs, seed, workdir, plain_pelican, ours, live, check_corpus)
        result["machine"]["load_average_at_end"] = round(os.getloadavg()[0], 2)
        if after_size:
            after_size(result)
    return result


# --- Report -------------------------------------------------------------------------------------
def ratio(a, b):
    return round(a / b, 2) if b else None


def format_report(result):
    machine = result["machine"]
    lines = [f"Commit {machine['commit']}, {machine['started']}; {machine['cpu']}, {machine['nproc']} CPU(s), "
             f"{machine['ram_gib']} GiB RAM, Python {machine['python']}; medians of {result['runs']} paired run(s), "
             f"seed {result['seed']}; load average {machine['load_average_at_start']} at start, "
             f"{machine.get('load_average_at_end', '?')} at end.", "",
             "| articles/lang | build | wall s | CPU s | peak RSS, largest process (MiB) | peak RSS, sum of the tree (MiB) | output files |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]

    def row(n, label, step, files=True):
        lines.append(f"| {n:,} | {label} | {step['wall_s']:.2f} | {step['cpu_s']:.2f} | {step['peak_one_mib']:.0f} | "
                     f"{step['peak_sum_mib']:.0f} | {step.get('files') if files else ''} |")

    for n, data in sorted(result["sizes"].items()):
        steps = data["steps"]
        row(n, "ours, cold (picture and card caches kept)", steps["ours_cold"])
        row(n, "Pelican + i18n-subsites, cold", steps["plain_cold"])
        first = data["first_build"]
        row(n, "ours, first-ever build (empty picture and card caches; once)" if first["first_ever"] else
            "ours, first build of this corpus (cards to draw; pool photos cached at the smaller N; once)", first)
        row(n, "ours, `invoke build` with nothing changed", steps["ours_unchanged"])
        equal = "equal" if data["rebuild_equals_clean_build"] else "NOT equal"
        row(n, f"ours, `invoke build` after one article edited (output {equal} to a clean build)", steps["ours_one_edit"])
        live = data.get("live_preview")
        if live and live.get("median_s") is not None:
            each = ", ".join(f"{edit['seconds']:.2f}" for edit in live["edits"])
            lines.append(f"| {n:,} | ours, live preview: save → edited page served (median of {len(live['edits'])}: {each} s) "
                         f"| {live['median_s']:.2f} | | | | |")
    lines += ["", "| articles/lang | ours wall s | theirs wall s | ours/theirs wall | ours CPU s | theirs CPU s | ours/theirs CPU |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n, data in sorted(result["sizes"].items()):
        ours, theirs = data["steps"]["ours_cold"], data["steps"]["plain_cold"]
        lines.append(f"| {n:,} | {ours['wall_s']:.2f} | {theirs['wall_s']:.2f} | {ratio(ours['wall_s'], theirs['wall_s'])} | "
                     f"{ours['cpu_s']:.2f} | {theirs['cpu_s']:.2f} | {ratio(ours['cpu_s'], theirs['cpu_s'])} |")
    sizes = sorted(result["sizes"])
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        lines += ["", f"| cold build, ours | N = {small:,} | N = {large:,} | {large:,}/{small:,} |", "| --- | ---: | ---: | ---: |"]
        for key, label in (("cpu_s", "CPU s"), ("wall_s", "wall s"), ("peak_one_mib", "peak RSS, largest process (MiB)"),
                           ("peak_sum_mib", "peak RSS, sum of the tree (MiB)")):
            a, b = (result["sizes"][size]["steps"]["ours_cold"][key] for size in (small, large))
            lines.append(f"| {label} | {a:.2f} | {b:.2f} | {ratio(b, a)} |")
        a, b = (result["sizes"][size]["steps"]["plain_cold"]["cpu_s"] for size in (small, large))
        lines.append(f"| (Pelican + i18n-subsites CPU s) | {a:.2f} | {b:.2f} | {ratio(b, a)} |")
    return "\n".join(lines)


# --- Profile ------------------------------------------------------------------------------------
def profile_cold_build(n, workdir, seed=2021, top=30):
    """cProfile over our cold `invoke build` at N (after a first build has filled the picture
    caches). Only the main process is profiled: forked workers and Pagefind are not in it."""
    import pstats

    workdir = Path(workdir).resolve()
    ours_corpus, _ = corpus.ensure_corpus(n, seed, workdir, *project_inputs())
    site = OurSite(workdir / f"site-profile-{n}", ours_corpus)
    log(f"N={n}: first build (fills the picture caches; not profiled)")
    site.build("profile-first")
    site.make_cold()
    profile = workdir / f"ours-cold-{n}.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "invoke", "build"]
    timing = measure(command, site.root, site.logs / f"profile-{n}.log", env=site.env)
    log(f"N={n}: cProfile of the cold build: {timing['wall_s']:.1f} s with the profiler's overhead; {profile}")
    stats = pstats.Stats(str(profile))
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="invoke bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                        help="articles per language (default 1000 10000)")
    parser.add_argument("--runs", type=int, default=3, help="paired runs; medians are reported (default 3)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                        help="corpora, sites, logs, the plain Pelican venv (default $TMPDIR/hubsite-bench or /tmp/hubsite-bench)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--quick", action="store_true", help="smoke test: N=20, one run")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--no-live", action="store_true", help="skip the live preview's edits")
    parser.add_argument("--check-corpus", action="store_true",
                        help="run `invoke check` on each measured corpus (the 5-article one is always checked)")
    parser.add_argument("--profile", type=int, metavar="N", help="instead: cProfile of our cold build at N")
    args = parser.parse_args(argv)
    if args.profile:
        profile_cold_build(args.profile, args.workdir, args.seed)
        return 0
    sizes, runs = ((20,), 1) if args.quick else (tuple(args.sizes), args.runs)
    def save(result):  # as each size is done: a run stopped later keeps the sizes it finished
        if args.json:
            args.json.write_text(json.dumps(result, indent=2) + "\n")
        report = format_report(result)
        (Path(args.workdir) / "report.md").write_text(report + "\n")
        log("figures so far (also in report.md in the work directory):\n" + report)

    result = run_benchmark(sizes, runs, args.workdir, args.seed, live=not args.no_live,
                           check_corpus=args.check_corpus, after_size=save)
    print(format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
