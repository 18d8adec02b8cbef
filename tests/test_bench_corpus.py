"""The benchmark's synthetic corpus (benchmarks/corpus.py): valid content, the same for a seed."""

from pathlib import Path

from benchmarks import corpus
from plugins.hub_check.checks import ERROR, check_content

ROOT = Path(__file__).resolve().parent.parent
INPUTS = tuple((ROOT / "content" / name).read_text(encoding="utf-8") for name in ("taxonomy.toml", "editions.toml"))


def test_small_corpus_passes_the_content_checks(tmp_path):
    ours, plain = corpus.ensure_corpus(5, 2021, tmp_path, *INPUTS)
    errors = [problem for problem in check_content(ours, corpus.LANGS) if problem.level == ERROR]
    assert errors == []
    assert corpus.corpus_stats(ours)["articles"] == 15  # 5 per language
    photos = sorted(ours.glob("articles/*/*.jpg"))
    assert photos and not list(plain.rglob("*.jpg"))  # the plain copy is text only
    assert len({path.read_bytes() for path in photos}) == len(photos)  # each photo its own bytes
    assert not any("Translation: true" in path.read_text(encoding="utf-8") for path in plain.rglob("*.md"))


def test_same_seed_same_corpus():
    first = corpus.corpus_files(5, 7, *INPUTS)
    assert corpus.corpus_files(5, 7, *INPUTS) == first
    assert corpus.corpus_files(5, 8, *INPUTS) != first
    assert corpus.PhotoPool(7).bytes(corpus.Photo(3)) == corpus.PhotoPool(7).bytes(corpus.Photo(3))
