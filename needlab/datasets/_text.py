"""Text templates for the sample feedback and open survey answers (Chinese and English).

A text is composed of an opener, a pain-point phrase (or a praise / inquiry phrase when the text
has no pain point) and a closing whose wording depends on the severity. Phrases carry two kinds
of slots: ``{p}`` (a product reference) and ``{n:LO-HI}`` (a whole number drawn from LO..HI).
Composition is vectorised: each phrase is split once into literal pieces and slots, and texts are
built by concatenating object arrays (no loop over texts).
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["CATEGORIES", "STAGES", "compose"]

CATEGORIES = ("functional", "service", "process", "value")
CATEGORY_ZH = {
    "functional": "功能性",
    "service": "服务性",
    "process": "流程性",
    "value": "价值性",
    "none": "无痛点",
}
STAGES = ("awareness", "purchase", "delivery", "installation", "use", "after_sales")
STAGE_ZH = {
    "awareness": "认知",
    "purchase": "购买",
    "delivery": "配送",
    "installation": "安装",
    "use": "使用",
    "after_sales": "售后",
}

# product category (Chinese, as in transactions.csv) -> short key used by the templates
PRODUCT_KEYS = {
    "扫地机器人": "vacuum",
    "空气净化器": "purifier",
    "智能门锁": "lock",
    "加湿器": "humidifier",
    "智能插座": "plug",
    "配件耗材": "parts",
}

PRODUCT_REFS = {
    "vacuum": {
        "zh": ["扫地机器人", "扫地机", "扫地机器人", "这台扫地机"],
        "en": ["robot vacuum", "vacuum", "robot vacuum", "robovac"],
    },
    "purifier": {"zh": ["空气净化器", "净化器", "这台净化器"], "en": ["air purifier", "purifier"]},
    "lock": {"zh": ["智能门锁", "门锁", "指纹锁"], "en": ["smart lock", "door lock", "lock"]},
    "humidifier": {"zh": ["加湿器", "这个加湿器"], "en": ["humidifier"]},
    "plug": {"zh": ["智能插座", "插座"], "en": ["smart plug", "plug"]},
    "parts": {"zh": ["配件", "滤网"], "en": ["accessory", "filter"]},
}

# (category, stage) -> language -> phrases; ("functional", "use") is split by product key.
PAIN: dict[tuple[str, ...], dict[str, list[str]]] = {
    ("functional", "installation"): {
        "zh": [
            "{p}配网一直失败，试了{n:3-9}次都连不上WiFi",
            "{p}和App绑定不上，总提示设备离线",
            "{p}装好后无法联网，配对失败",
            "新买的{p}连不上路由器，App里找不到设备",
        ],
        "en": [
            "the {p} would not connect to WiFi after {n:3-9} attempts",
            "pairing the {p} with the app keeps failing",
            "setup failed, the app says the {p} is offline",
            "could not get the {p} onto my home network",
        ],
    },
    ("functional", "delivery"): {
        "zh": [
            "收到的{p}开机没反应",
            "{p}到货就是坏的，按键失灵",
            "刚拆箱{p}就无法启动",
            "{p}到手外壳有裂痕还不能开机",
        ],
        "en": [
            "the {p} was dead on arrival",
            "the {p} arrived broken and will not turn on",
            "unboxed the {p} and it does not power on",
            "the {p} came with a cracked case and does not work",
        ],
    },
    ("functional", "use", "vacuum"): {
        "zh": [
            "{p}吸力太弱，地上的头发吸不干净",
            "{p}续航只有{n:15-40}分钟",
            "{p}经常卡在沙发底下出不来",
            "{p}建图老是出错，漏扫很多地方",
            "{p}拖地拖不干净，还留水印",
            "{p}用了{n:2-6}个月电池就不行了",
        ],
        "en": [
            "the {p} has weak suction and leaves hair behind",
            "battery on the {p} lasts only {n:15-40} minutes",
            "the {p} keeps getting stuck under the sofa",
            "the {p} map is wrong and it misses whole rooms",
            "the {p} mopping leaves streaks",
            "the {p} battery died after {n:2-6} months",
        ],
    },
    ("functional", "use", "purifier"): {
        "zh": [
            "{p}的PM2.5读数一直不准",
            "{p}开到最大档也没什么效果",
            "{p}传感器失灵，一直显示优",
            "{p}噪音太大，晚上根本没法开",
        ],
        "en": [
            "the {p} shows wrong PM2.5 readings",
            "the {p} makes no difference even on max",
            "the {p} sensor is broken and always says the air is good",
            "the {p} is too noisy to run at night",
        ],
    },
    ("functional", "use", "lock"): {
        "zh": [
            "{p}指纹识别经常失灵",
            "{p}电池{n:2-5}周就没电了",
            "{p}经常自己反锁，进不了门",
            "{p}App远程开锁总是延迟{n:10-60}秒",
        ],
        "en": [
            "the {p} fingerprint reader often fails",
            "batteries in the {p} die after {n:2-5} weeks",
            "the {p} locked me out twice",
            "remote unlock on the {p} lags {n:10-60} seconds",
        ],
    },
    ("functional", "use", "humidifier"): {
        "zh": ["{p}用了几天就漏水", "{p}出雾量很小", "{p}水箱有异味"],
        "en": [
            "the {p} leaks water",
            "the {p} barely produces any mist",
            "the {p} tank smells bad",
        ],
    },
    ("functional", "use", "plug"): {
        "zh": ["{p}经常掉线，定时功能失效", "{p}App里显示离线，控制不了"],
        "en": [
            "the {p} keeps dropping offline and schedules fail",
            "the {p} shows offline in the app",
        ],
    },
    ("functional", "use", "parts"): {
        "zh": ["{p}装不上，尺寸不对", "新换的{p}用了{n:2-4}周就坏了"],
        "en": ["the {p} does not fit", "the replacement {p} broke after {n:2-4} weeks"],
    },
    ("service", "purchase"): {
        "zh": [
            "咨询{p}参数时客服答非所问",
            "门店导购一直推销贵的型号，很烦",
            "问了{n:2-5}个问题客服都说不清楚",
        ],
        "en": [
            "the sales agent could not answer basic questions about the {p}",
            "the shop assistant kept pushing the expensive model",
            "pre-sales chat gave me wrong specs for the {p}",
        ],
    },
    ("service", "delivery"): {
        "zh": ["快递员态度很差，不肯送上楼", "送货师傅把{p}扔在门口就走了", "配送员打电话语气很冲"],
        "en": [
            "the courier was rude and refused to carry the {p} upstairs",
            "the delivery guy left the {p} outside without calling",
            "the courier was impolite on the phone",
        ],
    },
    ("service", "installation"): {
        "zh": [
            "安装师傅迟到了{n:2-5}个小时",
            "上门安装的师傅态度很差",
            "安装师傅不专业，{p}装歪了",
            "师傅装完{p}就走，什么都没讲",
        ],
        "en": [
            "the installer was {n:2-5} hours late",
            "the technician who installed the {p} was rude",
            "the installer was unprofessional and fitted the {p} crooked",
            "the technician left without explaining how the {p} works",
        ],
    },
    ("service", "after_sales"): {
        "zh": [
            "客服回复太慢，等了{n:2-10}天才有人理",
            "售后客服态度很差",
            "找售后修{p}，问题一直没解决",
            "客服互相踢皮球，打了{n:3-8}次电话都没用",
            "在线客服只会发模板回复",
            "售后承诺回电结果没人打",
        ],
        "en": [
            "customer service took {n:2-10} days to reply",
            "the support agent was rude",
            "support never fixed the {p} problem",
            "I called {n:3-8} times and got passed around",
            "the chat agent only sends canned answers",
            "they promised a call back and never called",
        ],
    },
    ("process", "awareness"): {
        "zh": ["官网上找不到各型号的对比", "{p}的说明书看不懂", "宣传页参数写得很乱，不知道选哪款"],
        "en": [
            "the website has no way to compare models",
            "the {p} manual is impossible to follow",
            "the product pages are confusing, hard to choose a model",
        ],
    },
    ("process", "purchase"): {
        "zh": [
            "下单流程太繁琐，要填{n:5-9}页信息",
            "优惠券领了却用不了",
            "付款失败了{n:2-4}次",
            "发票开起来特别麻烦",
            "会员积分没法抵扣",
        ],
        "en": [
            "checkout takes {n:5-9} steps",
            "the coupon would not apply at checkout",
            "payment failed {n:2-4} times",
            "getting an invoice is a hassle",
            "could not redeem my points",
        ],
    },
    ("process", "delivery"): {
        "zh": [
            "物流太慢，等了{n:5-14}天才到",
            "{p}发货拖了{n:3-10}天",
            "配送一再延误，物流信息也不更新",
            "说好次日达，结果{n:3-6}天才送到",
        ],
        "en": [
            "shipping took {n:5-14} days",
            "the {p} shipped {n:3-10} days late",
            "delivery was delayed again and again with no tracking updates",
            "promised next-day delivery, it came after {n:3-6} days",
        ],
    },
    ("process", "installation"): {
        "zh": ["预约安装要打好几个电话", "安装时间约了{n:2-3}次都改期", "预约安装的小程序很难用"],
        "en": [
            "booking the installation took several calls",
            "the installation was rescheduled {n:2-3} times",
            "the booking page for installation is clumsy",
        ],
    },
    ("process", "after_sales"): {
        "zh": [
            "退货流程太复杂，还要自己寄回",
            "退款{n:7-20}天还没到账",
            "换货要先寄回再等审核，太麻烦",
            "报修要上传一堆材料",
        ],
        "en": [
            "the return process is a nightmare, I had to ship it back myself",
            "refund still not received after {n:7-20} days",
            "exchanging the {p} needs endless paperwork",
            "filing a repair request needs too many documents",
        ],
    },
    ("value", "awareness"): {
        "zh": ["宣传说得天花乱坠，{p}实际效果不值这个价", "广告里的功能{p}根本没有，感觉被骗了"],
        "en": [
            "the ads oversell the {p}, not worth the money",
            "features in the ads are missing, feels like a rip-off",
        ],
    },
    ("value", "purchase"): {
        "zh": [
            "{p}价格太贵了",
            "刚买完{p}就降价{n:200-600}元，也不保价",
            "同配置别家便宜{n:300-800}元",
            "{p}性价比太低",
        ],
        "en": [
            "the {p} is overpriced",
            "the price dropped by {n:200-600} yuan right after I bought it",
            "competitors sell the same specs {n:300-800} yuan cheaper",
            "the {p} is poor value for money",
        ],
    },
    ("value", "use"): {
        "zh": [
            "耗材太贵，一年光滤网就要{n:300-900}元",
            "{p}的配件贵得离谱",
            "会员订阅才能用全部功能，不划算",
        ],
        "en": [
            "filters cost {n:300-900} yuan a year",
            "spare parts for the {p} are absurdly expensive",
            "you need a paid subscription for basic features",
        ],
    },
    ("value", "after_sales"): {
        "zh": [
            "修{p}收了{n:200-700}元，太贵",
            "刚过保修就坏，维修费比新的还贵",
            "上门检测还要收费",
        ],
        "en": [
            "repairing the {p} cost {n:200-700} yuan",
            "broke right after warranty and repair costs more than a new one",
            "they charge a fee just to inspect it",
        ],
    },
}

NONE = {
    "zh": [
        "{p}很好用，推荐",
        "配送很快，{p}一点也不难装",
        "{p}用了{n:2-8}个月，没有问题",
        "请问{p}的滤网多久换一次？",
        "{p}噪音不大，价格也不贵",
        "客服很耐心，谢谢",
        "请问{p}支持语音控制吗？",
        "整体满意，会回购",
        "{p}颜值很高",
        "安装师傅很专业，点赞",
    ],
    "en": [
        "the {p} works great, recommended",
        "fast delivery and the {p} was not hard to set up",
        "used the {p} for {n:2-8} months, no problems",
        "how often should I replace the {p} filter?",
        "the {p} is quiet and not expensive",
        "support was patient, thanks",
        "does the {p} work with voice assistants?",
        "happy overall, will buy again",
        "love the design of the {p}",
        "the installer was very professional",
    ],
}

OPENERS = {
    "zh": [
        "",
        "",
        "",
        "买了{n:1-6}个月，",
        "刚收到，",
        "用了{n:2-5}周，",
        "说实话，",
        "第二次买了，",
    ],
    "en": [
        "",
        "",
        "",
        "Bought {n:1-6} months ago and ",
        "Just received it: ",
        "After {n:2-5} weeks, ",
        "Honestly, ",
    ],
}
CLOSINGS = {
    1: {
        "zh": ["", "。", "，希望改进一下。", "，小问题，但有点影响体验。", "，建议优化。"],
        "en": ["", ".", ". Please improve.", ". Minor issue but annoying.", ". Hope you fix this."],
    },
    2: {
        "zh": ["。", "，很失望。", "，请尽快处理！", "，体验很差。", "，影响正常使用。"],
        "en": [
            ".",
            ". Very disappointed.",
            ". Please sort this out!",
            ". Bad experience.",
            ". It affects daily use.",
        ],
    },
    3: {
        "zh": [
            "，要求退货！",
            "，再也不买了！",
            "，已经投诉到12315！",
            "，差评！！",
            "，太坑了，坚决退款！",
        ],
        "en": [
            ". I want a full refund!",
            ". Never buying again!",
            ". Filing a formal complaint!",
            ". Absolutely terrible!!",
            ". Worst purchase ever, refund now!",
        ],
    },
    0: {"zh": ["", "。", "！", "，赞！"], "en": ["", ".", "!", ". Thanks!"]},
}

JUNK = np.array(
    ["。。。", "无", "好", "aaaaaa", "111111", "啊啊啊啊啊", "asdf", "…", "?", "没有"], dtype=object
)

_SLOT = re.compile(r"\{(p|n:(\d+)-(\d+))\}")


class _Phrases:
    """Phrases compiled into literal pieces and slots for vectorised filling."""

    def __init__(self, phrases: list[str]):
        k = len(phrases)
        self.pieces = np.full((k, 3), "", dtype=object)
        self.kind = np.zeros((k, 2), dtype=np.int8)  # 0 none, 1 product, 2 number
        self.lo = np.zeros((k, 2), dtype=np.int64)
        self.hi = np.zeros((k, 2), dtype=np.int64)
        for i, ph in enumerate(phrases):  # loop over templates, not texts
            pos = 0
            slots = list(_SLOT.finditer(ph))
            if len(slots) > 2:  # pragma: no cover - guards the tables above
                raise ValueError(f"template {ph!r} has more than two slots")
            for j, m in enumerate(slots):
                self.pieces[i, j] = ph[pos : m.start()]
                if m.group(1) == "p":
                    self.kind[i, j] = 1
                else:
                    self.kind[i, j] = 2
                    self.lo[i, j], self.hi[i, j] = int(m.group(2)), int(m.group(3))
                pos = m.end()
            self.pieces[i, len(slots)] = ph[pos:]

    def fill(self, rng: np.random.Generator, idx: np.ndarray, product: np.ndarray) -> np.ndarray:
        out = self.pieces[idx, 0].copy()
        for j in range(2):
            kind = self.kind[idx, j]
            lo, hi = self.lo[idx, j], self.hi[idx, j]
            num = (
                (lo + np.floor(rng.random(len(idx)) * (hi - lo + 1)).astype(np.int64))
                .astype(str)
                .astype(object)
            )
            val = np.where(kind == 1, product, np.where(kind == 2, num, ""))
            out = out + val + self.pieces[idx, j + 1]
        return out


def _compile() -> dict:
    table: dict = {}
    for key, langs in PAIN.items():
        for lang, phrases in langs.items():
            table[(*key, lang)] = _Phrases(phrases)
    for lang in ("zh", "en"):
        table[("none", lang)] = _Phrases(NONE[lang])
        table[("open", lang)] = _Phrases(OPENERS[lang])
        for sev, c in CLOSINGS.items():
            table[("close", sev, lang)] = _Phrases(c[lang])
    return table


_TABLE = _compile()


def _pick(
    rng: np.random.Generator, ph: _Phrases, mask: np.ndarray, product: np.ndarray, out: np.ndarray
) -> None:
    m = np.flatnonzero(mask)
    if len(m):
        idx = rng.integers(0, len(ph.pieces), size=len(m))
        out[m] = ph.fill(rng, idx, product[m])


def product_refs(
    rng: np.random.Generator, pkey: np.ndarray, model: np.ndarray, lang: np.ndarray
) -> np.ndarray:
    """A product reference per text: the model name (30%) or a generic name in the text's language."""
    out = np.empty(len(pkey), dtype=object)
    for key, langs in PRODUCT_REFS.items():
        for lg, names in langs.items():
            m = (pkey == key) & (lang == lg)
            out[m] = np.asarray(names, dtype=object)[rng.integers(0, len(names), size=int(m.sum()))]
    use_model = rng.random(len(pkey)) < 0.3
    short = np.char.replace(model.astype(str), "Lumo ", "").astype(object)
    out = np.where(use_model, np.where(lang == "zh", "Lumo " + short, "Lumo " + short), out)
    return out


def compose(
    rng: np.random.Generator,
    category: np.ndarray,
    stage: np.ndarray,
    severity: np.ndarray,
    pkey: np.ndarray,
    model: np.ndarray,
    lang: np.ndarray,
) -> np.ndarray:
    """Compose one text per row from its planted category, stage, severity, product and language.

    ``category`` is one of :data:`CATEGORIES` or ``"none"`` (praise or inquiry, severity 0).
    """
    n = len(category)
    product = product_refs(rng, pkey, model, lang)
    body = np.full(n, "", dtype=object)
    opener = np.full(n, "", dtype=object)
    closing = np.full(n, "", dtype=object)
    for lg in ("zh", "en"):
        is_lang = lang == lg
        for key in PAIN:
            if len(key) == 3:
                mask = is_lang & (category == key[0]) & (stage == key[1]) & (pkey == key[2])
            elif key == ("functional", "use"):
                continue
            else:
                mask = is_lang & (category == key[0]) & (stage == key[1])
            _pick(rng, _TABLE[(*key, lg)], mask, product, body)
        _pick(rng, _TABLE[("none", lg)], is_lang & (category == "none"), product, body)
        _pick(rng, _TABLE[("open", lg)], is_lang, product, opener)
        for sev in (0, 1, 2, 3):
            _pick(rng, _TABLE[("close", sev, lg)], is_lang & (severity == sev), product, closing)
    # a question keeps its question mark
    question = np.char.endswith(body.astype(str), "?") | np.char.endswith(body.astype(str), "？")
    closing = np.where(question, "", closing)
    # English: capitalise the first letter when the text starts with the body
    en = lang == "en"
    head = np.char.upper(body.astype(str).astype("U1")).astype(object)
    body = np.where(en & (opener == ""), head + _drop_first(body), body)
    return (opener + body + closing).astype(object)


def _drop_first(a: np.ndarray) -> np.ndarray:
    s = a.astype(str)
    lengths = np.char.str_len(s)
    # slicing via np.char is not available; use a view of fixed-width unicode
    width = max(int(lengths.max()) if len(s) else 1, 1)
    u = s.astype(f"U{width}")
    codes = u.view(np.uint32).reshape(len(u), width)
    rest = np.zeros_like(codes)
    rest[:, : width - 1] = codes[:, 1:]
    return rest.view(f"U{width}").reshape(len(u)).astype(object)
