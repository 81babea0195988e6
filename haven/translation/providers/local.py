"""Local CTranslate2 models (OPUS-MT / Marian conversions, Argos Translate packages) with SentencePiece."""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from config.env import TranslationProviderConfig
from haven.translation.providers import segments
from haven.translation.providers.base import ProviderError, pair_matches, provider_timeout

#: Longest source sentence fed to the model, in SentencePiece tokens (longer ones are truncated).
MAX_INPUT_TOKENS = 512


@dataclass(frozen=True)
class LoadedModel:
    """A CTranslate2 translator with its tokenizers, loaded once per process and shared by threads."""

    translator: Any  # ctranslate2.Translator (thread-safe; releases the GIL while it runs)
    source_sp: Any  # sentencepiece.SentencePieceProcessor
    target_sp: Any
    append_eos: bool
    fingerprint: str


_models: dict[tuple[str, str, str, int, int], LoadedModel] = {}
_models_lock = threading.Lock()
_executor = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="haven-ct2")


def model_layout(path: Path) -> tuple[Path, Path, Path, bool]:
    """(model dir, source spm, target spm, append </s>) for an OPUS-MT style directory (model.bin,
    source.spm, target.spm) or an Argos Translate package (model/model.bin, sentencepiece.model)."""
    model_dir = path if (path / "model.bin").is_file() else path / "model"
    if not (model_dir / "model.bin").is_file():
        raise ProviderError(
            _("No CTranslate2 model.bin was found in the model folder."), code="translation_failed"
        )
    marian = [d / "source.spm" for d in (path, model_dir) if (d / "source.spm").is_file()]
    if marian:
        source = marian[0]
        target = source.with_name("target.spm") if source.with_name("target.spm").is_file() else source
        return model_dir, source, target, True
    shared = [d / "sentencepiece.model" for d in (path, model_dir) if (d / "sentencepiece.model").is_file()]
    if not shared:
        raise ProviderError(
            _("No SentencePiece model was found in the model folder."), code="translation_failed"
        )
    return model_dir, shared[0], shared[0], False


def load_model(
    path: str,
    *,
    device: str = "cpu",
    compute_type: str = "int8",
    inter_threads: int = 1,
    intra_threads: int = 0,
) -> LoadedModel:
    """The model at `path`, loaded on first use and cached for the life of the process (thread-safe)."""
    resolved = Path(path).expanduser().resolve()
    key = (str(resolved), device, compute_type, inter_threads, intra_threads)
    model = _models.get(key)
    if model is not None:
        return model
    with _models_lock:
        model = _models.get(key)
        if model is not None:
            return model
        import ctranslate2
        import sentencepiece

        model_dir, source, target, marian = model_layout(resolved)
        config: dict[str, Any] = {}
        if (model_dir / "config.json").is_file():
            config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        stat = (model_dir / "model.bin").stat()
        fingerprint = hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:8]
        translator = ctranslate2.Translator(
            str(model_dir),
            device=device,
            compute_type=compute_type,
            inter_threads=inter_threads,
            intra_threads=intra_threads,
        )
        model = LoadedModel(
            translator=translator,
            source_sp=sentencepiece.SentencePieceProcessor(model_file=str(source)),
            target_sp=sentencepiece.SentencePieceProcessor(model_file=str(target)),
            append_eos=marian and not config.get("add_source_eos", False),
            fingerprint=fingerprint,
        )
        _models[key] = model
        return model


def loaded_model_count() -> int:
    return len(_models)


class CTranslate2Provider:
    """Translates with a local CTranslate2 model; sentences of every text go through in one batch call."""

    kind = "ctranslate2"

    def __init__(self, config: TranslationProviderConfig) -> None:
        self.config = config
        self.id = config.id
        self.pairs = tuple(config.pairs)
        self.key = f"{config.id}:{config.version}"[:64]

    def supports(self, source: str, target: str) -> bool:
        return pair_matches(self.pairs, source, target)

    def model(self) -> LoadedModel:
        cfg = self.config
        try:
            return load_model(
                cfg.path,
                device=cfg.device,
                compute_type=cfg.compute_type,
                inter_threads=cfg.inter_threads,
                intra_threads=cfg.intra_threads,
            )
        except ProviderError:
            raise
        except (OSError, RuntimeError, ValueError) as exc:
            raise ProviderError(
                _("The local translation model could not be loaded."),
                code="translation_failed",
                details={"reason": type(exc).__name__},
            ) from None

    def translate_batch(self, texts: list[str], source: str, target: str, *, timeout: float) -> list[str]:
        model = self.model()
        split = [segments.split(text) for text in texts]
        sentences = [piece.text for pieces in split for piece in pieces if piece.translate]
        future = _executor.submit(self._translate_sentences, model, sentences)
        try:
            translated = future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise provider_timeout() from None
        except (RuntimeError, ValueError) as exc:
            raise ProviderError(
                _("The local translation model failed."), details={"reason": type(exc).__name__}
            ) from None
        results: list[str] = []
        outputs = iter(translated)
        for pieces in split:
            results.append(segments.join([next(outputs) if p.translate else p.text for p in pieces], target))
        return results

    def _translate_sentences(self, model: LoadedModel, sentences: list[str]) -> list[str]:
        if not sentences:
            return []
        batch = []
        for sentence in sentences:
            tokens = model.source_sp.encode(sentence, out_type=str)[: MAX_INPUT_TOKENS - 1]
            if self.config.source_prefix:
                tokens = [self.config.source_prefix, *tokens]
            batch.append([*tokens, "</s>"] if model.append_eos else tokens)
        results = model.translator.translate_batch(
            batch,
            max_batch_size=self.config.max_batch_size,
            beam_size=self.config.beam_size,
            max_decoding_length=self.config.max_decoding_length,
            max_input_length=MAX_INPUT_TOKENS,
        )
        out = []
        for result in results:
            tokens = [t for t in result.hypotheses[0] if t not in {"</s>", "<s>", "<pad>"}]
            out.append(model.target_sp.decode(tokens).strip())
        return out
