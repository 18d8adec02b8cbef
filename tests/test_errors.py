"""Bad content stops the build with a message naming file and field, and leaves the old site alone."""

import pytest

from hubsite.build import BuildError, clean


def build_error(small_site):
    with pytest.raises(BuildError) as caught:
        small_site.build()
    return "\n".join(caught.value.problems)


def test_unknown_category_names_file_and_field(small_site):
    small_site.write("fr", "x", "X", category="sport")
    assert "content/articles/fr/x.md: Category: 'sport' is not a category of this site" in build_error(small_site)


def test_unknown_tag_names_file_and_field(small_site):
    small_site.write("fr", "x", "X", tags="uclg, football")
    assert "content/articles/fr/x.md: Tags: 'football' is not in the taxonomy" in build_error(small_site)


def test_lang_header_that_contradicts_the_folder(small_site):
    path = small_site.write("fr", "x", "X")
    path.write_text(path.read_text().replace("Lang: fr", "Lang: es"))
    assert "content/articles/fr/x.md: Lang: 'es' does not match the folder 'fr'" in build_error(small_site)


def test_language_the_site_does_not_have(small_site):
    small_site.write("de", "x", "X")
    assert "content/articles/de/x.md: Lang: 'de' is not a language of this site" in build_error(small_site)


def test_two_articles_of_one_language_sharing_a_translation_key(small_site):
    small_site.write("fr", "a", "A", key="same")
    small_site.write("fr", "b", "B", key="same")
    message = build_error(small_site)
    assert "Translation_Key: 'same' is already used by the fr article content/articles/fr/" in message


def test_impossible_event_date(small_site):
    small_site.write("en", "x", "X", category="events", extra="Event_Start: 2021-02-30")
    assert "content/articles/en/x.md: Event_Start: '2021-02-30' is not a real date" in build_error(small_site)


def test_failed_build_leaves_the_previous_output_untouched(small_site):
    small_site.write("fr", "ok", "Bon article")
    built = small_site.build()
    before = {p.relative_to(built.output): p.read_bytes() for p in built.output.rglob("*") if p.is_file()}
    small_site.write("fr", "broken", "Cassé", category="nope")
    with pytest.raises(BuildError):
        small_site.build()
    after = {p.relative_to(built.output): p.read_bytes() for p in built.output.rglob("*") if p.is_file()}
    assert after == before
    leftovers = [p.name for p in built.output.parent.iterdir() if p.name.startswith(".output.")]
    assert leftovers == []


def test_clean_removes_only_the_output_and_its_leftovers(tmp_path):
    output = tmp_path / "output"
    (output / "fr").mkdir(parents=True)
    (tmp_path / ".output.building-123").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "notes.txt").write_text("keep me")
    clean(output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "notes.txt"]
