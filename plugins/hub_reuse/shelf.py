"""Read items kept from earlier builds instead of building them again from their files.

Pelican builds every content item from its file on every run: its reader cache spares the
Markdown conversion, not the item's construction (metadata, dates, URLs, validity), which is most
of an unchanged item's cost. Its own generator-level cache pickles each item with the build's
context and settings, so an item kept from an earlier build would resolve its links through that
build's URLs. The shelf keeps each item as it stood right after reading, without those two: an item
taken off the shelf gets the current build's context and settings, as if it had just been read.
Any copy of the settings is stored as the settings: the shelf's key already says which settings
it is for. No Pelican here: `shared` names the objects of the run that are never stored.
"""

import io
import os
import pickle

FORMAT = 1  # the layout of the shelf file; another one is never read
SETTINGS_MARK = "SLUGIFY_SOURCE"  # a dict with this key is a copy of the settings (Pelican's default has it)


class _Pickler(pickle.Pickler):
    def __init__(self, handle, shared_ids):
        super().__init__(handle, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared_ids = shared_ids

    def persistent_id(self, obj):
        name = self.shared_ids.get(id(obj))
        if name is None and type(obj) is dict and SETTINGS_MARK in obj:
            # A copy of the settings: terms read by the prefill's workers hold that process's.
            return "settings"
        return name


class _Unpickler(pickle.Unpickler):
    def __init__(self, handle, shared):
        super().__init__(handle)
        self.shared = shared

    def persistent_load(self, name):
        return self.shared[name]


def dumps(item, shared):
    """`item` as bytes, with the objects in `shared` ({name: object}) stored by name only."""
    handle = io.BytesIO()
    _Pickler(handle, {id(obj): name for name, obj in shared.items()}).dump(item)
    return handle.getvalue()


def loads(data, shared):
    """The item `dumps` stored, holding this run's objects in `shared` where it held that run's."""
    return _Unpickler(io.BytesIO(data), shared).load()


class Shelf:
    """Items by source file and stamp, valid for one `key` (what else their construction reads)."""

    def __init__(self, path, key):
        self.path, self.key = path, key
        self.stored = load_entries(path, key)  # file -> (stamp, bytes), from the last build
        self.kept = {}  # what this build found or stored: the next build's shelf
        self.changed = False
        self.taken = self.put_back = 0  # items served, items stored (read from their files)

    def take(self, filename, stamp, shared):
        """The item kept for `filename` if its stamp is `stamp`, else None."""
        entry = self.stored.get(filename)
        if entry is None or entry[0] != stamp:
            return None
        self.kept[filename] = entry
        self.taken += 1
        return loads(entry[1], shared)

    def put(self, filename, stamp, item, shared):
        self.kept[filename] = (stamp, dumps(item, shared))
        self.changed = True
        self.put_back += 1

    def save(self):
        """Write what this build kept, if it differs from what it found; atomically."""
        if not self.changed and self.kept.keys() == self.stored.keys():
            return
        partial = f"{self.path}.partial"
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with open(partial, "wb") as handle:
            pickle.dump({"format": FORMAT, "key": self.key, "entries": self.kept}, handle,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.path)
        self.stored, self.kept, self.changed = self.kept, {}, False


def load_entries(path, key):
    """The entries in the shelf file at `path` if it was written for `key`; else none."""
    try:
        with open(path, "rb") as handle:
            shelf = pickle.load(handle)
    except Exception:  # missing, cut short or of another version: the items are read again
        return {}
    if not isinstance(shelf, dict) or shelf.get("format") != FORMAT or shelf.get("key") != key:
        return {}
    return shelf.get("entries") or {}
