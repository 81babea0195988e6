"""Text normalisation and stateless hashed features shared by the moderation classifiers and their trainer."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

# Bump when normalisation or feature extraction changes: artifacts record the version they were trained
# with and the runtime refuses to score with a mismatching one (the weights would be meaningless).
FEATURE_VERSION = 2

# Texts longer than this are scored on their head and tail only (bounded latency; abuse and spam cues
# are rarely buried in the middle of a very long note).
MAX_CHARS = 1200
_HEAD_CHARS = 900

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_LETTER_RE = re.compile(rf"[a-zA-Z{_CJK}]")

# Placeholders are words of their own (\w only), so the word and the character n-grams both see them.
_URL_RE = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]{0,62}\.(?:com|net|org|cn|co|uk|io|xyz|top|info|biz|me|ly|cc|tk|ru|vip|club|shop"
    r"|site|online|link|app|ai|gg|tv)\b(?:/\S*)?"
)
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_MENTION_RE = re.compile(r"@[\w.-]+")
_MONEY_RE = re.compile(
    r"(?:[$£€¥₹]|rmb|usd|us\$)\s?\d[\d,.]*(?:\s?[kmw万千])?"
    r"|\d[\d,.]*\s?(?:[kmw万千])?\s?(?:元|块钱|块|美元|美金|英镑|rmb|usd|dollars?|bucks|pounds?|quid|gbp|eur)"
)
_PHONE_RE = re.compile(r"(?<!\w)\+?\d[\d\s().-]{6,}\d(?!\w)")
_DIGITS_RE = re.compile(r"\d+")
_REPEAT_RE = re.compile(r"(\D)\1{2,}")
_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(rf"[a-z0-9_']+|[{_CJK}]+")


def clip(text: str) -> str:
    """Bound the text scored: the head and the tail of a very long text."""
    if len(text) <= MAX_CHARS:
        return text
    return text[:_HEAD_CHARS] + " " + text[-(MAX_CHARS - _HEAD_CHARS) :]


def normalize(text: str) -> str:
    """Fold width and case, map URLs, e-mails, mentions, money, phone numbers and digits to placeholders."""
    text = unicodedata.normalize("NFKC", clip(text)).lower()
    text = _EMAIL_RE.sub(" _email_ ", text)
    text = _URL_RE.sub(" _url_ ", text)
    text = _MENTION_RE.sub(" _user_ ", text)
    text = _MONEY_RE.sub(" _money_ ", text)
    text = _PHONE_RE.sub(" _phone_ ", text)
    text = _REPEAT_RE.sub(r"\1\1", text)
    text = _DIGITS_RE.sub(lambda m: "0" * min(len(m.group()), 4), text)
    return _SPACE_RE.sub(" ", text).strip()


def cjk_share(text: str) -> float:
    """Share of CJK ideographs among the letters of a text (0.0 when it has no letters)."""
    letters = _LETTER_RE.findall(text[:MAX_CHARS])
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _CJK_RE.match(ch)) / len(letters)


# Hand-written, bilingual spam and scam cues. Each cue is a concept shared by both languages, so the
# weight the spam model learns for it from English data carries over to Chinese text.
_SPAM_CUES: dict[str, str] = {
    "contact_handle": (
        r"whats\s?app|telegram|\btg\b|wechat|\bwx\b|\bvx\b|v信|微信|威信|薇信|\bqq\b|扣扣|企鹅号|\bline\s?id|kik"
        r"|snapchat|\bsnap\b|signal"
    ),
    "add_me": (
        r"add me|contact me|text me|dm me|message me|inbox me|pm me|call now|call me|text \w+ to|reply \w+ to"
        r"|send \w+ to|加我|加微|加v|加q|私信|私聊|私我|联系我|咨询|详询|滴滴我|戳我|找我"
    ),
    "free_offer": (
        r"\bfree\b|freebie|giveaway|no cost|complimentary|免费|白送|领取|领红包|福利|赠送|送礼|0元|零元|包邮"
    ),
    "prize": (
        r"\bwon\b|\bwin\b|winner|prize|award|congratulations|congrats|selected|lucky|中奖|恭喜|获奖|抽奖|幸运"
        r"|大奖|奖品|奖金"
    ),
    "click_link": (
        r"click|tap here|link in bio|visit|log ?in to|verify your|点击|链接|戳链接|打开链接"
        r"|复制链接|网址|扫码|二维码|下载app|注册"
    ),
    "urgency": (
        r"urgent|act now|limited time|expires?|today only|hurry|last chance|immediately|final notice"
        r"|紧急|立即|马上|限时|名额有限|仅剩|最后机会|过期|尽快|速来"
    ),
    "easy_money": (
        r"earn|income|profit|investment|invest|crypto|bitcoin|btc|usdt|forex|trading signal|passive|cash|loan"
        r"|credit|賺|赚|日赚|月入|收益|投资|理财|返利|返现|刷单|兼职|躺赚|副业|带单|稳赚|翻倍|贷款|借款|套现|彩票"
        r"|博彩|菠菜|币圈|airdrop|\bnft|seed phrase|recovery phrase|connect (?:your )?wallet|wallet address"
        r"|mining pool|空投|助记词|私钥|钱包地址|矿机"
        r"|挖矿|杀猪盘|导师带|内幕消息"
    ),
    "job_offer": (
        r"work from home|hiring|job offer|part[- ]time|vacanc|recruit|招聘|招人|诚招|在家工作"
        r"|宝妈|学生党|日结|时间自由"
    ),
    "promo": (
        r"discount|% off|\bsale\b|promo|coupon|voucher|offer|deal|cheap|order now|buy now|优惠|折扣|打折|促销"
        r"|代购|低价|特价|秒杀|优惠券|下单|进群|拉群|群号|代理|微商|招代理"
        r"|in exchange for (?:a |an )?(?:honest )?review"
        r"|review for review|paid reviews?|好评返|五星好评|刷好评|晒图返|刷评论"
    ),
    "account_scam": (
        r"account (?:has been |is )?(?:suspended|locked|blocked)|password|bank|refund|customer service|客服"
        r"|退款|账户异常|冻结|验证码|安全账户|银行卡|身份证|公检法|快递理赔"
    ),
    "adult": (r"sexy|\bsex\b|hot (?:girls|singles)|dating|hookup|约炮|约吗|同城交友|裸聊|福利视频|看片|成人"),
    "subscribe": (
        r"subscribe|unsubscribe|\bstop\b|opt.?out|\bt&c|txt|订阅|退订|回复td|关注我|互粉|互赞|求关注"
        r"|follow for follow|follow back|\bf4f\b|\bl4l\b|like for like|sub4sub|互关|回关|必回|互推|涨粉"
    ),
}


class _Cue:
    """One cue's alternatives, split so that most are plain substring tests (fast on long texts):
    literals, literals that need word boundaries (regex only when the literal is present), and the
    few real patterns (one regex)."""

    _META = re.compile(r"\\[^b]|[.^$*+?{}\[\]()|]")

    def __init__(self, pattern: str) -> None:
        self.literals: list[str] = []
        self.bounded: list[tuple[str, re.Pattern[str]]] = []
        complex_: list[str] = []
        for alt in _split_alternatives(pattern):
            bare = alt.replace("\\b", "")
            if self._META.search(bare):
                complex_.append(alt)
            elif bare != alt:
                self.bounded.append((bare, re.compile(alt)))
            else:
                self.literals.append(alt)
        self.regex = re.compile("|".join(complex_)) if complex_ else None

    def search(self, text: str) -> bool:
        if any(lit in text for lit in self.literals):
            return True
        if any(lit in text and rx.search(text) for lit, rx in self.bounded):
            return True
        return bool(self.regex and self.regex.search(text))


def _split_alternatives(pattern: str) -> list[str]:
    """Top-level `|` alternatives of a regex (alternatives inside groups stay together)."""
    out, depth, cur, esc = [], 0, [], False
    for ch in pattern:
        if esc:
            cur.append(ch)
            esc = False
            continue
        if ch == "\\":
            esc = True
            cur.append(ch)
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return [a for a in out if a]


_CUE_RES = {name: _Cue(pattern) for name, pattern in _SPAM_CUES.items()}
_PLACEHOLDERS = ("_url_", "_email_", "_money_", "_phone_", "_user_")


def spam_cues(norm: str) -> list[str]:
    """Names of the hand-written spam cues present in a normalised text (placeholders included)."""
    found = [f"cue:{name}" for name, rx in _CUE_RES.items() if rx.search(norm)]
    found += [f"cue:{ph}" for ph in _PLACEHOLDERS if ph in norm]
    if sum(1 for ch in norm if ch == "!") >= 2:
        found.append("cue:exclaim")
    if len(found) >= 3:
        found.append("cue:many")
    return found


# Hand-written, bilingual abuse cues (profanity, insults, slurs, threats). The lexicon is deliberately
# broad: the weight of each cue is learned from the training data, and a cue generalises to texts whose
# wording the training set never saw. The patterns exist to detect these words, not to use them.
_ABUSE_CUES: dict[str, str] = {
    "profanity": (
        r"fuck|f\*ck|fck|fuk|shit|sh\*t|bitch|b\*tch|bastard|asshole|\bass\b|\bdick|cunt|\bcock|piss|damn|wtf|stfu"
        r"|\bmf\b|傻逼|傻b|傻x|煞笔|沙比|\bsb\b|\bnmsl\b|\bcnm\b|\btmd\b|草泥马|操你|艹|他妈|tm的|妈的|尼玛|你妈|特么"
        r"|卧槽|我操|屄|鸡巴"
    ),
    "insult": (
        r"idiot|moron|stupid|dumb|loser|scum|trash|garbage|pathetic|disgusting|clown|imbecile|pig\b|\bswine"
        r"|ugly|\bfat\b|\bfreak|creep|whore|slut|hoe\b|\bjerk|degenerate|\bsnowflake|libtard|脑残|弱智|智障"
        r"|白痴|蠢货|蠢猪|废物|垃圾|人渣|败类|贱人|贱货|婊|下贱|畜生|畜牲|狗东西|狗日|杂种|杂碎|猪狗不如|丑八怪|肥猪"
        r"|恶心|恶臭|low逼|屌丝|舔狗|普信|巨婴|娘炮|死胖子|蛆|小丑|滚蛋|\b滚\b"
    ),
    "slur": (
        r"n[i1]gg(?:er|a|ah)|f[a@]gg?(?:ot|y)?\b|retard|tranny|\bchink|\bspic\b|\bkike|wetback|raghead|towelhead"
        r"|\bcoon\b|黑鬼|黑奴|黑蛆|尼哥|支那|阿三|棒子|小日本|日本鬼子|鬼子|蝗虫|绿绿|穆畜|默畜|女拳|田园女权|直男癌"
        r"|基佬|死gay|捞女|龟男|地域黑|乡巴佬"
    ),
    "threat": (
        r"kill (?:you|him|her|them|yourself)|\bkys\b|(?:should|must|gonna|go|hope you|just|to) die\b"
        r"|go to hell|shoot (?:you|him|her|them)|hang (?:him|her|them)|deserve to die"
        r"|去死|死全家|弄死|打死|杀了|砍死|全家死|死绝|灭了|枪毙"
    ),
    "second_person": r"\byou\b|\byour\b|\byou'?re\b|\bu\b|\bur\b|你|您|尔等",
}
_ABUSE_RES = {name: _Cue(pattern) for name, pattern in _ABUSE_CUES.items()}


def abuse_cues(norm: str) -> list[str]:
    """Names of the hand-written abuse cues present in a normalised text."""
    found = [name for name, rx in _ABUSE_RES.items() if rx.search(norm)]
    out = [f"cue:{name}" for name in found]
    if "second_person" in found and len(found) > 1:
        out.append("cue:targeted")
    return out


_jieba_lock = threading.Lock()
_jieba_mod: Any = None


def _jieba() -> Any:
    global _jieba_mod
    if _jieba_mod is None:
        with _jieba_lock, warnings.catch_warnings():
            if _jieba_mod is None:
                warnings.simplefilter("ignore")
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_mod = jieba
    return _jieba_mod


def words(norm: str) -> list[str]:
    """Word tokens: latin words and placeholders as they are, CJK runs segmented by jieba (HMM off)."""
    out: list[str] = []
    for tok in _WORD_RE.findall(norm):
        if _CJK_RE.match(tok):
            out.extend(_jieba().lcut(tok, HMM=False))
        elif len(tok) > 1 or tok.isdigit():
            out.append(tok)
    return out


@dataclass(frozen=True)
class Prepared:
    """A text normalised and segmented once, shared by every model that scores it."""

    norm: str
    tokens: list[str]


def prepare(text: str) -> Prepared:
    """Normalise and segment a text."""
    norm = normalize(text)
    return Prepared(norm=norm, tokens=words(norm))


# Stateless hashing: polynomial rolling hashes of code points (characters) and of CRC-32s (words), mixed
# with SplitMix64 and a per-kind seed, top bits kept. Pure numpy, identical on every platform.
_P = np.uint64(0x100000001B3)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_SEED_CHAR, _SEED_WORD, _SEED_CUE = 0x1000, 0x2000, 0x3000


def _mix(h: np.ndarray, seed: int) -> np.ndarray:
    z = h + np.uint64((seed * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF)
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return np.asarray(z ^ (z >> _S31))


def _ngram_hashes(
    units: np.ndarray, lo: int, hi: int, seed: int, within: np.ndarray | None = None
) -> list[np.ndarray]:
    """Hashes of the n-grams (lo <= n <= hi) of a sequence; with `within` (a boolean mask of separator
    positions), only n-grams with no separator inside them (edges allowed, like char_wb)."""
    out = []
    sep = None if within is None else np.concatenate([[0], np.cumsum(within)])
    for n in range(lo, hi + 1):
        m = len(units) - n + 1
        if m <= 0:
            break
        h = units[:m].copy()
        for k in range(1, n):
            h = h * _P + units[k : k + m]
        if sep is not None and n > 2:
            h = h[(sep[n - 1 : n - 1 + m] - sep[1 : 1 + m]) == 0]
        out.append(_mix(h, seed + n))
    return out


def _str_hashes(items: list[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(t.encode("utf-8")) for t in items), dtype=np.uint64, count=len(items))


def feature_hashes(prep: Prepared, config: dict[str, Any]) -> np.ndarray:
    """64-bit hashes of the word n-grams, character n-grams and (as configured) spam or abuse cues."""
    parts: list[np.ndarray] = []
    wlo, whi = (int(n) for n in config["word_ngrams"])
    clo, chi = (int(n) for n in config["char_ngrams"])
    if prep.tokens:
        parts += _ngram_hashes(_str_hashes(prep.tokens) + np.uint64(1), wlo, whi, _SEED_WORD)
    padded = f" {prep.norm} "
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    within = codes == 32 if config.get("char_wb") else None
    parts += _ngram_hashes(codes, clo, chi, _SEED_CHAR, within)
    cues: list[str] = []
    if config.get("spam_cues"):
        cues += spam_cues(prep.norm)
    if config.get("abuse_cues"):
        cues += abuse_cues(prep.norm)
    if cues:
        parts.append(_mix(_str_hashes(cues), _SEED_CUE))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)


class Featurizer:
    """Stateless hashed features: counts per hashed n-gram, log-scaled, L2-normalised rows."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = dict(config)
        bits = int(config["n_features"]).bit_length() - 1
        if 1 << bits != int(config["n_features"]):
            raise ValueError("n_features must be a power of two")
        self._shift = np.uint64(64 - bits)

    @property
    def n_features(self) -> int:
        return int(self.config["n_features"])

    def indices(self, prep: Prepared) -> tuple[np.ndarray, np.ndarray]:
        """Sorted feature indices of a prepared text and their counts."""
        idx = (feature_hashes(prep, self.config) >> self._shift).astype(np.int64)
        uniq, counts = np.unique(idx, return_counts=True)
        return uniq, counts.astype(np.float32)

    def counts(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """Raw hashed feature counts, one row per text."""
        indptr = [0]
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        for text in texts:
            uniq, cnt = self.indices(prepare(text))
            cols.append(uniq)
            vals.append(cnt)
            indptr.append(indptr[-1] + len(uniq))
        data = np.concatenate(vals) if vals else np.zeros(0, dtype=np.float32)
        ind = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        return sparse.csr_matrix((data, ind, np.array(indptr)), shape=(len(indptr) - 1, self.n_features))

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """Log-scaled, L2-normalised hashed features, one row per text."""
        x = self.counts(texts)
        np.log1p(x.data, out=x.data)
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags((1.0 / norms).astype(np.float32)) @ x)
