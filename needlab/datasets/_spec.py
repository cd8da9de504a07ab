"""The fictional study behind the sample data: brand, segments, products, questions, planted parameters.

Everything the generator plants is declared here, in one place, so that the README, the truth and
the tests can refer to the same numbers.
"""

from __future__ import annotations

import numpy as np

BRAND = {"en": "Lumo Home", "zh": "Lumo 智家"}

WINDOW_START = np.datetime64("2023-01-01")
WINDOW_END = np.datetime64("2024-12-31")
WAVE_FIELD = {1: (np.datetime64("2024-04-08"), 21), 2: (np.datetime64("2024-10-14"), 21)}

# ---------------------------------------------------------------- segments (true, hidden)
SEGMENTS = ("tech", "value", "family", "premium")
SEGMENT_NAMES = {
    "tech": {"en": "Tech enthusiasts", "zh": "科技尝鲜族"},
    "value": {"en": "Value seekers", "zh": "精打细算族"},
    "family": {"en": "Busy families", "zh": "忙碌家庭"},
    "premium": {"en": "Premium quality seekers", "zh": "品质追求族"},
}
SEGMENT_SHARE = np.array([0.22, 0.33, 0.28, 0.17])
AGE_MEAN = np.array([29.0, 37.0, 38.0, 45.0])
AGE_SD = np.array([6.0, 10.0, 6.0, 9.0])
FEMALE = np.array([0.35, 0.50, 0.58, 0.48])

REGIONS = [
    ("华北", "North"),
    ("华东", "East"),
    ("华南", "South"),
    ("华中", "Central"),
    ("西南", "Southwest"),
    ("东北", "Northeast"),
]
REGION_P = np.array(
    [
        [0.22, 0.30, 0.22, 0.10, 0.10, 0.06],
        [0.20, 0.26, 0.16, 0.15, 0.14, 0.09],
        [0.20, 0.30, 0.20, 0.12, 0.11, 0.07],
        [0.20, 0.36, 0.26, 0.08, 0.06, 0.04],
    ]
)
TIERS = [
    ("一线", "Tier 1"),
    ("新一线", "New tier 1"),
    ("二线", "Tier 2"),
    ("三线及以下", "Tier 3 and below"),
]
TIER_P = np.array(
    [
        [0.35, 0.35, 0.20, 0.10],
        [0.10, 0.25, 0.30, 0.35],
        [0.20, 0.30, 0.30, 0.20],
        [0.45, 0.30, 0.17, 0.08],
    ]
)
INCOMES = [
    ("1万以下", "Under 10k"),
    ("1-2万", "10k-20k"),
    ("2-4万", "20k-40k"),
    ("4万以上", "40k and over"),
]
INCOME_P = np.array(
    [
        [0.15, 0.40, 0.35, 0.10],
        [0.45, 0.35, 0.15, 0.05],
        [0.15, 0.40, 0.35, 0.10],
        [0.05, 0.20, 0.40, 0.35],
    ]
)
CHANNELS = [
    ("官方商城", "Official online store"),
    ("天猫", "Tmall"),
    ("京东", "JD.com"),
    ("线下门店", "Retail shop"),
]
CHANNEL_P = np.array(
    [
        [0.40, 0.25, 0.30, 0.05],
        [0.10, 0.40, 0.40, 0.10],
        [0.15, 0.30, 0.30, 0.25],
        [0.30, 0.15, 0.15, 0.40],
    ]
)
GENDERS = [("男", "Male"), ("女", "Female")]

# purchasing: extra (repeat) orders per active year, gamma heterogeneity shape
REPEAT_RATE = np.array([4.0, 1.8, 3.0, 2.6])
REPEAT_SHAPE = 0.45
DISCOUNT = np.array([[0.85, 1.00], [0.72, 0.95], [0.82, 1.00], [0.92, 1.00]])
# churn: logit p = CHURN_BASE[segment] - CHURN_SAT * satisfaction (latent, sd about 1)
CHURN_BASE = np.array([-1.3, -0.6, -1.4, -1.7])
CHURN_SAT = 0.9
# latent satisfaction mean by segment
SAT_MEAN = np.array([0.10, -0.20, 0.00, 0.30])

PRODUCTS = [  # name, category (zh), list price (yuan)
    ("Lumo R5", "扫地机器人", 1999.0),
    ("Lumo R7 Pro", "扫地机器人", 3499.0),
    ("Lumo A3", "空气净化器", 1299.0),
    ("Lumo A6 Max", "空气净化器", 2699.0),
    ("Lumo L2", "智能门锁", 999.0),
    ("Lumo L5 Pro", "智能门锁", 1899.0),
    ("Lumo H1", "加湿器", 399.0),
    ("Lumo S1", "智能插座", 79.0),
    ("Lumo F3 滤网", "配件耗材", 149.0),
    ("Lumo B2 尘袋套装", "配件耗材", 59.0),
]
CATEGORY_EN = {
    "扫地机器人": "Robot vacuum",
    "空气净化器": "Air purifier",
    "智能门锁": "Smart lock",
    "加湿器": "Humidifier",
    "智能插座": "Smart plug",
    "配件耗材": "Accessories and consumables",
}
PRODUCT_P = np.array(
    [  # by segment
        [0.10, 0.16, 0.06, 0.08, 0.06, 0.12, 0.04, 0.20, 0.10, 0.08],
        [0.18, 0.04, 0.13, 0.03, 0.12, 0.03, 0.08, 0.10, 0.17, 0.12],
        [0.14, 0.08, 0.12, 0.08, 0.14, 0.08, 0.10, 0.06, 0.12, 0.08],
        [0.06, 0.20, 0.05, 0.18, 0.04, 0.18, 0.05, 0.04, 0.12, 0.08],
    ]
)

# ---------------------------------------------------------------- survey
STAGES = ("awareness", "purchase", "delivery", "installation", "use", "after_sales")
STAGE_LABELS = {
    "awareness": ("Awareness", "认知"),
    "purchase": ("Purchase", "购买"),
    "delivery": ("Delivery", "配送"),
    "installation": ("Installation", "安装"),
    "use": ("Use", "使用"),
    "after_sales": ("After-sales", "售后"),
}
# column, stage, en label, zh label, latent shift, true raw weight on overall_sat
SAT_ITEMS = [
    ("sat_aw_info", "awareness", "Clear product information", "产品信息清晰易懂", 0.20, 0.10),
    ("sat_aw_compare", "awareness", "Easy to compare models", "型号对比方便", -0.05, 0.0),
    ("sat_pu_price", "purchase", "Fair price", "价格合理", -0.35, 0.30),
    ("sat_pu_checkout", "purchase", "Easy ordering and payment", "下单支付便捷", 0.35, 0.08),
    ("sat_pu_advice", "purchase", "Helpful pre-sales advice", "售前咨询专业", 0.05, 0.0),
    ("sat_de_speed", "delivery", "Delivery speed", "配送速度", -0.10, 0.22),
    ("sat_de_condition", "delivery", "Arrived in good condition", "包装完好无损", 0.30, 0.0),
    ("sat_in_ease", "installation", "Easy installation and setup", "安装设置简便", 0.00, 0.20),
    ("sat_in_app", "installation", "Smooth app pairing", "App 配网顺利", -0.15, 0.12),
    ("sat_us_perf", "use", "Product performance", "产品性能", 0.10, 0.50),
    ("sat_us_quality", "use", "Quality and reliability", "质量可靠", 0.05, 0.40),
    ("sat_us_noise", "use", "Quiet operation", "运行安静", -0.05, 0.0),
    ("sat_as_speed", "after_sales", "Speed of service response", "客服响应速度", -0.30, 0.15),
    ("sat_as_solve", "after_sales", "Problem solved", "问题得到解决", -0.15, 0.35),
    ("sat_as_warranty", "after_sales", "Warranty and repair terms", "保修维修政策", 0.00, 0.0),
]
OVERALL_INTERCEPT = -1.1
OVERALL_NOISE = 0.85
THRESHOLDS = np.array([-1.9, -1.1, -0.2, 0.9])
LOAD_G, LOAD_STAGE, LOAD_E = 0.55, 0.50, 0.65
# stage latent shift by segment (rows SEGMENTS, columns STAGES)
STAGE_SHIFT = np.array(
    [
        [0.00, 0.00, 0.00, 0.25, 0.20, 0.00],
        [0.00, -0.30, 0.00, 0.00, 0.00, 0.00],
        [0.00, 0.00, 0.00, -0.25, 0.00, 0.00],
        [0.10, 0.00, 0.00, 0.00, 0.00, -0.30],
    ]
)
# planted wave-2 shifts (latent units): delivery improves, nothing else
WAVE2_STAGE_SHIFT = {"delivery": 0.24}
WAVE_CORR = 0.8  # correlation of a customer's latent answers between waves
LTR_INTERCEPT, LTR_SLOPE, LTR_NOISE, LTR_WAVE2 = 0.55, 0.95, 1.25, 0.28
P_NO_INSTALL, P_NO_SERVICE = 0.06, 0.15  # share answering 99 (not applicable / don't know)

KANO_CATS = ("A", "O", "M", "I", "R")
KANO_PROFILE = {  # P(A, O, M, I, R) for a feature whose true category is the key
    "A": [0.58, 0.14, 0.05, 0.20, 0.03],
    "O": [0.14, 0.56, 0.15, 0.13, 0.02],
    "M": [0.05, 0.18, 0.57, 0.18, 0.02],
    "I": [0.13, 0.07, 0.08, 0.67, 0.05],
    "R": [0.04, 0.02, 0.02, 0.30, 0.62],
}
# feature, kind, en, zh, true category per segment (tech, value, family, premium)
KANO_FEATURES = [
    (
        "cleaning_power",
        "product",
        "strong cleaning / purifying performance",
        "强劲的清洁/净化效果",
        "OOOO",
    ),
    ("app_control", "product", "remote control from the app", "App 远程控制", "OAAA"),
    ("voice_control", "product", "voice assistant control", "语音助手控制", "AIII"),
    ("auto_empty", "product", "self-emptying / self-cleaning base", "自动集尘/自清洁", "AAAA"),
    ("quiet_mode", "product", "quiet night mode", "静音夜间模式", "OOOO"),
    ("filter_reminder", "product", "filter and consumable reminders", "滤网/耗材更换提醒", "MMMM"),
    ("data_privacy", "product", "data privacy protection", "数据隐私保护", "MMMM"),
    ("child_lock", "product", "child lock", "童锁", "IIMI"),
    ("free_install", "service", "free home installation", "免费上门安装", "MMMM"),
    ("next_day_delivery", "service", "next-day delivery", "次日达配送", "OOOO"),
    ("repair_48h", "service", "on-site repair within 48 hours", "48 小时上门维修", "OOOM"),
    ("marketing_push", "service", "personalised marketing notifications", "个性化营销推送", "IRRR"),
]
KANO_ANSWERS = [
    ("I like it", "我喜欢"),
    ("It must be that way", "理所当然"),
    ("I am neutral", "无所谓"),
    ("I can live with it", "勉强接受"),
    ("I dislike it", "我不喜欢"),
]
IMPORTANCE_MEAN = {"A": 5.8, "O": 7.0, "M": 7.6, "I": 4.0, "R": 2.8}
P_KANO_QUESTIONABLE = 0.03

ATT_ITEMS = [  # column, en, zh, mean by segment (tech, value, family, premium) in latent sd units
    (
        "att_newtech",
        "I like to be the first to try new technology",
        "我喜欢第一时间尝试新科技",
        [1.2, -0.3, -0.1, 0.3],
    ),
    (
        "att_smarthome",
        "I want my whole home connected",
        "我希望全屋设备互联",
        [1.0, -0.2, 0.2, 0.3],
    ),
    (
        "att_compare_price",
        "I always compare prices before buying",
        "购买前我总会货比三家",
        [-0.1, 1.1, 0.3, -0.8],
    ),
    (
        "att_wait_promo",
        "I wait for sales such as 618 or Double 11",
        "我会等 618、双11 等大促再买",
        [0.0, 1.0, 0.2, -0.7],
    ),
    (
        "att_no_time",
        "I have little time for housework",
        "我几乎没有时间做家务",
        [0.1, -0.3, 1.2, 0.2],
    ),
    (
        "att_family_health",
        "My family's health and safety come first",
        "家人的健康和安全最重要",
        [-0.3, 0.0, 1.1, 0.4],
    ),
    (
        "att_pay_brand",
        "I pay more for a brand I trust",
        "我愿意为信赖的品牌多花钱",
        [0.2, -0.9, 0.0, 1.1],
    ),
    (
        "att_quality_first",
        "Quality matters more to me than price",
        "对我来说质量比价格更重要",
        [0.2, -0.7, 0.2, 1.2],
    ),
    ("att_design", "Design and looks matter to me", "我很看重外观设计", [0.9, -0.4, -0.2, 0.5]),
]
ATT_THRESHOLDS = np.array([-1.5, -0.5, 0.5, 1.5])

P_STRAIGHT, P_SPEED, P_JUNK = 0.025, 0.02, 0.012

# ---------------------------------------------------------------- pain points
PAIN_COMBOS = [  # (category, stage, base rate)
    ("functional", "installation", 0.05),
    ("functional", "delivery", 0.03),
    ("functional", "use", 0.17),
    ("service", "purchase", 0.02),
    ("service", "delivery", 0.03),
    ("service", "installation", 0.04),
    ("service", "after_sales", 0.10),
    ("process", "awareness", 0.02),
    ("process", "purchase", 0.04),
    ("process", "delivery", 0.08),
    ("process", "installation", 0.03),
    ("process", "after_sales", 0.06),
    ("value", "awareness", 0.02),
    ("value", "purchase", 0.07),
    ("value", "use", 0.04),
    ("value", "after_sales", 0.03),
]
P_NONE = 0.17
# multipliers by segment: {segment: {(category, stage or None): factor}}
PAIN_MULT: dict[str, dict[tuple[str, str | None], float]] = {
    "tech": {("functional", None): 1.4, ("functional", "installation"): 1.6},
    "value": {("value", None): 2.2, ("process", "purchase"): 1.4},
    "family": {("process", None): 1.4, ("service", "installation"): 1.8},
    "premium": {("service", None): 1.9, ("value", None): 0.5},
}
SEVERITY_P = {
    "functional": [0.30, 0.40, 0.30],
    "service": [0.30, 0.45, 0.25],
    "process": [0.45, 0.40, 0.15],
    "value": [0.40, 0.40, 0.20],
}
FEEDBACK_CHANNELS = [  # channel, share, P(English), median resolution hours (NaN: social, never resolved here)
    ("hotline", 0.20, 0.35, 20.0),
    ("app", 0.20, 0.45, 30.0),
    ("jd_review", 0.22, 0.30, 36.0),
    ("weibo", 0.13, 0.10, np.nan),
    ("xiaohongshu", 0.13, 0.05, np.nan),
    ("email", 0.12, 0.80, 48.0),
]

# ---------------------------------------------------------------- needs (issue 15)
# The need structure is drawn from its own seeded stream (``default_rng([seed, NEEDS_STREAM])``)
# so the files above stay byte-identical. The survey and feedback parameters above already plant
# the evidence: free_install is a must-be feature (MMMM) whose survey items (sat_in_app,
# sat_in_ease) are the least satisfied among must-be needs and whose pain code FUN.PAIRING is the
# most frequent functional complaint; the attributes below (MaxDiff utility top by a clear margin,
# highest reach and confidence, high feasibility, low cost) make N01 the need to meet first.
NEEDS_STREAM = 15
# need, en, zh, planted kano category (None: no Kano feature), role, cost (CNY), feasibility
# (1-5), effort (person-weeks), reach (customers per quarter), confidence (0-1), MaxDiff utility
# (None: not in the MaxDiff block)
NEEDS = [
    (
        "N01",
        "Installation and app setup that work first time",
        "安装与配网一次成功",
        "M",
        "worst_basic",
        650000,
        4,
        14,
        2600,
        0.9,
        1.5,
    ),
    (
        "N02",
        "Strong cleaning and purifying performance",
        "强劲的清洁与净化效果",
        "O",
        "performance",
        3200000,
        2,
        60,
        2200,
        0.7,
        0.8,
    ),
    (
        "N03",
        "Fast, trackable delivery",
        "配送快且可追踪",
        "O",
        "performance",
        2400000,
        3,
        40,
        2400,
        0.8,
        0.25,
    ),
    (
        "N04",
        "Reliable, durable products that arrive intact",
        "产品可靠耐用、完好送达",
        None,
        "expected",
        2800000,
        2,
        52,
        2000,
        0.7,
        1.1,
    ),
    ("N05", "Quiet operation", "运行安静", "O", "performance", 900000, 3, 20, 900, 0.6, -0.85),
    (
        "N06",
        "After-sales service that solves problems quickly",
        "售后快速解决问题",
        "O",
        "performance",
        1200000,
        3,
        30,
        1400,
        0.8,
        0.5,
    ),
    (
        "N07",
        "Fair price and honest promotions",
        "价格公道、促销透明",
        None,
        "expected",
        1500000,
        3,
        8,
        1800,
        0.5,
        -0.2,
    ),
    (
        "N08",
        "Easy to choose and to buy",
        "选购与下单省心",
        None,
        "expected",
        400000,
        5,
        10,
        1600,
        0.7,
        -1.1,
    ),
    (
        "N09",
        "Hands-free cleaning (self-emptying base)",
        "免动手清洁 (自动集尘)",
        "A",
        "delighter",
        1600000,
        3,
        36,
        1100,
        0.6,
        -0.4,
    ),
    (
        "N10",
        "Smart control from the app and by voice",
        "App 与语音智能控制",
        "A",
        "attractive",
        700000,
        4,
        18,
        1200,
        0.6,
        -1.35,
    ),
    (
        "N11",
        "A safe and private smart home",
        "安全私密的智能家居",
        "M",
        "basic",
        450000,
        4,
        12,
        1500,
        0.7,
        0.0,
    ),
    (
        "N12",
        "Easy, affordable upkeep (filters and parts)",
        "省心实惠的耗材与保养",
        "M",
        "basic",
        350000,
        5,
        8,
        1300,
        0.7,
        -0.6,
    ),
    (
        "N13",
        "Hassle-free returns and refunds",
        "退换货与退款省心",
        None,
        "implicit",
        300000,
        4,
        8,
        700,
        0.5,
        None,
    ),
]
WORST_BASIC, DELIGHTER = "N01", "N09"
IMPLICIT_NEEDS = ("N13",)
# (source, keys) -> need. Survey items are listed once and written under the sources "item",
# "driver" and "ipa" (a driver or IPA result names the same column). marketing_push (a reverse
# feature: no need) is left unlinked on purpose, so a backlog reports it as unlinked.
NEED_KANO = {
    "free_install": "N01",
    "cleaning_power": "N02",
    "next_day_delivery": "N03",
    "quiet_mode": "N05",
    "repair_48h": "N06",
    "auto_empty": "N09",
    "app_control": "N10",
    "voice_control": "N10",
    "data_privacy": "N11",
    "child_lock": "N11",
    "filter_reminder": "N12",
}
NEED_ITEMS = {
    "sat_in_ease": "N01",
    "sat_in_app": "N01",
    "sat_us_perf": "N02",
    "sat_de_speed": "N03",
    "sat_us_quality": "N04",
    "sat_de_condition": "N04",
    "sat_us_noise": "N05",
    "sat_as_speed": "N06",
    "sat_as_solve": "N06",
    "sat_as_warranty": "N06",
    "sat_pu_price": "N07",
    "sat_aw_info": "N08",
    "sat_aw_compare": "N08",
    "sat_pu_advice": "N08",
    "sat_pu_checkout": "N08",
}
# pain codes of the default taxonomy (core + appliances + ecommerce) that the sample's
# feedback texts trigger (checked with needlab.code_text on feedback.csv)
NEED_PAINS = {
    "FUN.PAIRING": "N01",
    "PRO.INSTALL_BOOKING": "N01",
    "SER.TECHNICIAN": "N01",
    "SER.WORKMANSHIP": "N01",
    "FUN.PERFORMANCE": "N02",
    "FUN.ACCURACY": "N02",
    "FUN.BATTERY": "N02",
    "PRO.DELIVERY_LATE": "N03",
    "PRO.TRACKING": "N03",
    "SER.COURIER": "N03",
    "FUN.BROKEN": "N04",
    "FUN.DURABILITY": "N04",
    "FUN.DEFECT": "N04",
    "FUN.STUCK": "N04",
    "FUN.LEAK": "N04",
    "FUN.DOA": "N04",
    "FUN.SMELL": "N04",
    "FUN.FIT": "N04",
    "FUN.NOISE": "N05",
    "SER.SLOW_RESPONSE": "N06",
    "SER.UNRESOLVED": "N06",
    "SER.NO_FOLLOWUP": "N06",
    "SER.PASSED_AROUND": "N06",
    "SER.CANNED": "N06",
    "SER.REPEAT_CONTACT": "N06",
    "SER.RUDE": "N06",
    "SER.INCOMPETENT": "N06",
    "PRO.REPAIR": "N06",
    "VAL.EXPENSIVE": "N07",
    "VAL.NOT_WORTH": "N07",
    "VAL.COMPETITOR": "N07",
    "VAL.PRICE_DROP": "N07",
    "VAL.HIDDEN_FEES": "N07",
    "PRO.PROMO_REDEEM": "N07",
    "PRO.INFO": "N08",
    "PRO.CHECKOUT": "N08",
    "PRO.PAYMENT": "N08",
    "PRO.INVOICE": "N08",
    "SER.PUSHY": "N08",
    "VAL.MISLEADING": "N08",
    "FUN.APP": "N10",
    "FUN.CONNECTIVITY": "N10",
    "PRO.USABILITY": "N10",
    "VAL.SUBSCRIPTION": "N10",
    "VAL.CONSUMABLES": "N12",
    "VAL.REPAIR_COST": "N12",
    "PRO.RETURN": "N13",
    "PRO.REFUND": "N13",
}
# MaxDiff block: wave-1 respondents (the first MAXDIFF_N by resp_id), tasks x items per task
MAXDIFF_N, MAXDIFF_TASKS, MAXDIFF_PER_TASK = 300, 8, 4

# ---------------------------------------------------------------- monitoring (issue 16)
# Wave 3, the tickets and the monthly KPI series come from their own seeded streams
# (``default_rng([seed, WAVE3_STREAM])``, ``default_rng([seed, TICKETS_STREAM])``), so every file
# above stays byte-identical. WAVE3_STREAM is the first constant from 16 on whose seed-0 draw is
# a clean teaching example: every planted null change (waves 2-3 and 1-3) within 1 point in the
# census and |z| < 1.5 in the sample, every planted real change z > 3 (independent-samples z);
# 4 of the 24 constants 16-39 qualified. Other seeds flag nulls at the tests' nominal rate.
WAVE3_STREAM = 27
TICKETS_STREAM = 17
WAVE3_FIELD = (np.datetime64("2025-04-07"), 21)  # April 2025, after actions A1-A3 (plan.yaml)
# Latent shifts of wave 3, cumulative from wave 1 (wave 2's delivery stage shift persists):
# delivery speed improves again (the warehouses A1 and next-day delivery A2 are complete),
# "problem solved" improves (the agents' knowledge base A3), nothing else moves.
WAVE3_STAGE_SHIFT = {"delivery": 0.24}
WAVE3_ITEM_SHIFT = {"sat_de_speed": 0.20, "sat_as_solve": 0.17}
# likelihood to recommend: +0.28 (wave 2) and a further +0.22 (the referral programme A5)
LTR_WAVE3 = 0.50
WAVE3_PANEL = 0.4  # share of wave-3 respondents drawn from the wave-2 respondents
# which truth.waves KPIs really change from wave 2 to wave 3 (the others are planted nulls)
WAVE3_CHANGED = ("top2_sat_de_speed", "top2_sat_as_solve", "nps")

# Service tickets: opened 2024-01-01 00:00 .. the cut-off 2025-07-01 00:00 (naive local time,
# China Standard Time, UTC+8 without daylight saving). first response = opened + F, F lognormal
# (median, sigma) per channel; resolved = first response + W, W a Weibull(shape, scale) mixture:
# with probability TICKET_ESCALATED the case is escalated and its scale is TICKET_ESCALATION times
# larger. From TICKET_CHANGE on (by opening time) the resolution scales are multiplied by
# TICKET_AFTER_SCALE (knowledge base A3 and 48-hour on-site repair A4); first responses do not
# change. Tickets are never abandoned: a missing resolved time means "still open at the cut-off".
TICKET_START = np.datetime64("2024-01-01T00:00")
TICKET_CUTOFF = np.datetime64("2025-07-01T00:00")
TICKET_CHANGE = np.datetime64("2025-03-01T00:00")
TICKET_AFTER_SCALE = 0.45
TICKET_ESCALATED, TICKET_ESCALATION = 0.08, 12.0
TICKET_STANDARD_H = 48.0  # resolution standard ("90% within 48 h")
TICKET_RESPONSE_STANDARD_H = 4.0  # first-response standard
TICKET_CHANNELS = [  # channel, share, first response median (h), sigma, Weibull shape, scale (h)
    ("hotline", 0.35, 0.05, 0.7, 0.9, 30.0),
    ("app", 0.30, 0.5, 1.0, 0.9, 34.0),
    ("email", 0.20, 8.0, 0.8, 1.0, 40.0),
    ("web", 0.15, 3.0, 0.9, 0.9, 36.0),
]
# categories and their shares; pairing problems fall from the month firmware 3.2 ships (A6)
TICKET_CATEGORIES = ("pairing", "repair", "delivery", "return_refund", "usage", "billing")
TICKET_CATEGORY_P = np.array([0.22, 0.22, 0.14, 0.10, 0.22, 0.10])
TICKET_PAIRING_AFTER = 0.11
TICKET_PAIRING_CHANGE = np.datetime64("2025-04-01T00:00")

# ---------------------------------------------------------------- market and competitors (issue 17)
# Drawn from their own stream, default_rng([seed, MARKET_STREAM]), so every file above stays
# byte-identical. MARKET_STREAM is the first constant from 41 on whose seed-0 draw is a clean
# teaching example: every previous-brand row of the switching counts fits the planted matrix
# (chi-square p > 0.1) and the units CAGR of market.csv is within 0.5 points of the planted 8%
# (2 of the 20 constants 41-60 qualified; every one showed the planted rating leaders).
# Brands: the own brand first, then the four competitors (competitors.csv names).
MARKET_STREAM = 44
MARKET_BRANDS = ("Lumo", "Vetta", "Orin", "Kaiya", "Brisa")
MARKET_BRAND_ZH = ("智家", "维塔", "欧林", "凯雅", "布里萨")
MARKET_OWN = "Lumo"
BRAND_BLOCK_SHARE = (
    0.6  # share of wave-1 respondents (a simple random subset) asked the brand block
)

# Funnel: planted P(aware) and P(consider | aware) per brand (population of the brand block).
FUNNEL_AWARE = np.array([0.97, 0.90, 0.80, 0.62, 0.45])
FUNNEL_CONSIDER = np.array([0.75, 0.60, 0.45, 0.55, 0.50])
PREFER_CURRENT = 0.72  # P(preferred brand = current brand)
PREFER_APPEAL = np.array([1.0, 1.0, 0.5, 0.9, 0.4])  # otherwise among the other considered brands
FUNNEL_INCONSISTENT = 0.01  # respondents with one brand considered but not aware (planted errors)

# Switching: previous brand -> current brand (rows previous, columns current; MARKET_BRANDS order).
# Lumo loses to Vetta (price); Lumo gains from Orin; Orin and Brisa retain least.
SWITCH_P_NONE = 0.22  # no previous brand (first purchase in the category)
SWITCH_PREVIOUS = np.array([0.30, 0.22, 0.25, 0.13, 0.10])
SWITCH_NEW_BUYER = np.array([0.40, 0.25, 0.10, 0.15, 0.10])  # current brand of first-time buyers
SWITCH_MATRIX = np.array(
    [
        [0.70, 0.15, 0.04, 0.07, 0.04],
        [0.06, 0.80, 0.04, 0.06, 0.04],
        [0.18, 0.12, 0.55, 0.10, 0.05],
        [0.06, 0.08, 0.03, 0.78, 0.05],
        [0.12, 0.15, 0.05, 0.08, 0.60],
    ]
)

# Stated share of category spend (last 12 months): shares ~ Dirichlet(SPEND_CONC x SPEND_BASE +
# SPEND_CURRENT x e_current), rounded to whole % summing to 100 (largest remainder); SPEND_NONE of
# respondents spent nothing in the category (all spend_ columns empty).
SPEND_BASE = np.array([0.30, 0.25, 0.18, 0.15, 0.12])
SPEND_CONC = 3.0
SPEND_CURRENT = 3.0
SPEND_NONE = 0.06

# Brand x attribute ratings (1-10): round(clip(mean[brand, attr] + u_resp + h_resp,brand + e, 1, 10)).
RATING_ATTRIBUTES = [  # attribute, kind, en, zh, mean of every brand that does not lead it
    ("quality", "product", "Product quality", "产品质量", 7.4),
    ("performance", "product", "Performance", "产品性能", 7.3),
    ("durability", "product", "Durability", "耐用性", 7.2),
    ("design", "product", "Design", "外观设计", 6.9),
    ("app", "product", "App and connectivity", "App 与互联", 6.8),
    ("price", "price", "Price", "价格", 6.5),
    ("value", "value", "Value for money", "性价比", 6.7),
    ("delivery", "service", "Delivery", "配送", 7.1),
    ("service", "service", "Customer service", "客户服务", 6.8),
    ("warranty", "service", "Warranty and repair", "保修与维修", 6.7),
]
RATING_LEADS = {  # brand -> {attribute: + mean}; every other brand x attribute cell ties
    "Lumo": {"design": 0.9, "app": 1.0},
    "Vetta": {"price": 1.0, "value": 0.9},
    "Kaiya": {"service": 1.0, "warranty": 0.9},
}
RATING_RESPONDENT_SD = 0.9  # respondent effect, shared by every brand and attribute they rate
RATING_HALO_SD = 0.5  # respondent x brand halo, shared by the attributes of one brand
RATING_NOISE_SD = 1.1
RATING_MISSING = 0.015  # "don't know" (empty) per rating

# Brand image (describes the brand: yes/no, aggregated to counts): P = logistic(IMAGE_BASE +
# x_brand * lx_attr + y_brand * ly_attr), a planted 2-D structure: x = price axis (affordable -,
# premium +), y = service axis (service and trust +, innovation and style -).
IMAGE_BASE = -0.9
IMAGE_BRANDS_XY = np.array([[0.3, -1.0], [-1.2, 0.0], [0.0, 0.2], [0.6, 1.1], [-0.5, -0.1]])
IMAGE_ATTRIBUTES = [  # attribute, en, zh, lx, ly
    ("innovative", "Innovative", "创新", 0.3, -1.0),
    ("reliable", "Reliable", "可靠", 0.3, 0.7),
    ("affordable", "Affordable", "实惠", -1.3, 0.0),
    ("premium", "Premium", "高端", 1.2, 0.1),
    ("friendly_service", "Friendly service", "服务贴心", 0.0, 1.2),
    ("easy_to_use", "Easy to use", "易用", -0.1, -0.6),
    ("stylish", "Stylish", "时尚", 0.6, -0.8),
    ("trustworthy", "Trustworthy", "值得信赖", 0.2, 0.9),
]

# Market data, half-years 2021H1..2024H2: total units grow at MARKET_CAGR a year (no seasonality);
# brand shares move linearly from the first to the last period; brand units carry lognormal noise.
MARKET_PERIODS = tuple(f"{y}H{h}" for y in range(2021, 2025) for h in (1, 2))
MARKET_UNITS_START = 5200.0  # thousand units in 2021H1
MARKET_CAGR = 0.08
MARKET_BRANDS_ALL = (*MARKET_BRANDS, "Others")
MARKET_SHARE_START = np.array([10.5, 22.0, 18.0, 9.0, 6.5, 34.0])  # %, 2021H1
MARKET_SHARE_END = np.array([12.0, 27.0, 13.0, 9.5, 5.5, 33.0])  # %, 2024H2
MARKET_PRICE = np.array([2300.0, 1500.0, 1900.0, 2700.0, 1200.0, 1000.0])  # yuan per unit
MARKET_UNITS_NOISE = 0.03
MARKET_PRICE_NOISE = 0.02
MARKET_SOURCE = "Smart home market tracker (fictional)"
