"""Verified content: phrasebook, glossary, FAQ, UI strings (load, validate, match).

Pure Python, no Kivy; nothing loaded at import (pykakasi loads on first Japanese
normalisation, the matcher's analysers on first use of their language).  The API (import from the submodules):

    from kiosk.content.load import load_content, default_content_dir
        content = load_content()              # content/ of the repo, or $KIOSK_CONTENT_DIR
        content.phrases / .terms / .faq / .topics / .site / .ui
        content.phrase(id), content.phrases_in(topic), content.term(id), content.answer(id)
        content.unreviewed() -> {"phrases": n, "terms": n, "faq": n}
        content.ui.get(key, lang)

    from kiosk.content.match import PhraseMatcher
        matcher = PhraseMatcher(content)      # cheap; each language's analyser + index loads on first use
        matcher.warm_up(["ko", "ja"])         # load them now, off the UI thread (ko ~3 s, ja ~2 s)
        m = matcher.match(text, lang)         # PhraseMatch | None
        m.entry_id, m.similarity (0..100), m.phrase, m.text(target_lang)  # site values filled in
        m.reason                              # MatchReason: method, wording, scores, synonyms, guards
        matcher.suggest(text, lang, k=3)      # [Suggestion(phrase_id, score, texts)] below the threshold
        # thresholds per language in match.THRESHOLDS; a hit also needs every guard (kiosk.content.guards);
        # ~1-5 ms per call; synonyms from content/synonyms.toml (kiosk.content.synonyms)

    from kiosk.content.glossary import GlossaryChecker
        checker = GlossaryChecker(content)    # build once
        checker.check(src, src_lang, tgt, tgt_lang) -> [MissingTerm(term, source, expected)]
            -> non-empty: mark the translation unsure ("glossary_term_missing"), show term cards
        checker.find_terms(text, lang) -> [Term]   # glossary cards to show
        term.text(lang), term.variants(lang), term.accepted(lang), term.note

    from kiosk.content.recognition import phrases_for_recognition
        phrases_for_recognition(content, lang) -> [str]   # Vosk phrase list / grammar

    from kiosk.content.easy import japanese_display
        japanese_display(phrase, settings.easy_japanese) -> JapaneseDisplay(text, reading, easy)

    from kiosk.content.faq import render
        render(answer, content.site, lang) -> str   # KioskError content.missing if a field is unfilled

    from kiosk.content.search import search
        search(content, query, lang, limit=10, topic=None) -> [SearchHit]   # staff quick phrases

    from kiosk.content.validate import validate, check_content
        validate(content_dir) -> [Problem(file, line, id, field, message)]
        check_content(content_dir)            # KioskError content.invalid on the first problem

CLI: ``kiosk content check | stats | search QUERY --lang L | match TEXT --lang L [--suggest]``.
"""
