"""The rows of the fixed-budget training comparison (bench/train_ablation.py): the budgets, and the
three rounds of rows, each changing one thing against the round's first row."""

from __future__ import annotations

from dataclasses import dataclass, field

from fosp_core.paths import runs_dir


@dataclass(frozen=True)
class Budget:
    """The training budget every row of a round gets (iterations x batch x crop)."""

    iterations: int = 400
    crop: int = 160
    batch: int = 8
    warmup: int = 40

    def describe(self) -> str:
        """The budget in words, as the tables' introductions print it."""
        return (f"{self.iterations} iterations x batch {self.batch} x {self.crop}² crops "
                f"({self.iterations * self.batch} samples), warm-up {self.warmup}, poly decay to 0")


@dataclass(frozen=True)
class Row:
    """One row of a round: its key, what it changes in words, and the `fosp train` overrides that do it."""

    key: str
    change: str
    overrides: tuple[str, ...] = ()
    inpainter: bool = True  # FoSp rows use the pre-trained (frozen) inpainter, as the recipe does
    needs: tuple[str, ...] = field(default_factory=tuple)  # files that must exist (SSL weights)
    iterations: int = 0  # 0 = the budget's; another count for an equal-wall-time comparison


def rows(ssl_backbone: str) -> list[Row]:
    """The comparison rows; A is the small-cpu recipe at this budget, every other row changes one thing."""
    return [
        Row("A", "small-cpu recipe: fosp-s, lr 6e-4 (head x10), BCE, 70 % smoke-centred crops, real+synthetic"),
        Row("S", "A again with another seed (data order, crops, init): how far one seed's noise reaches",
            ("train.seed=1",)),
        Row("B", "paper's fine-tuning lr 6e-5", ("optim.lr=6e-5",)),
        Row("C", "higher lr 1.5e-3", ("optim.lr=1.5e-3",)),
        Row("D", "loss BCE + Dice", ("model.overrides.loss=bce+dice",)),
        Row("E", "loss BCE + Lovász hinge", ("model.overrides.loss=bce+lovasz",)),
        Row("F", "loss focal + Dice", ("model.overrides.loss=focal+dice",)),
        Row("G", "uniform random crops (no smoke-centred crops)", ("data.smoke_crop_prob=0.0",)),
        Row("H", "smoke-free crops kept (cat_max_ratio 1.0: a crop that is all sky or all smoke is not redrawn)",
            ("data.cat_max_ratio=1.0",)),
        Row("I", "native-resolution crops (data.scale 0: crops of the full-size photo x 0.5-1.5, not of a 640 px copy)",
            ("data.scale=0",)),
        Row("J", "no stochastic depth (drop_path_rate 0 instead of 0.1)", ("model.overrides.drop_path_rate=0.0",)),
        Row("K", "real photos only (no synthetic smoke)",
            ('data.train=[{path = "smoke5k-train", split = "scene-train"}]',)),
        Row("L", "SegFormer-B0 (Table 4 row a: no Focus, no Separation), same recipe",
            ("model.name=segformer-b0",), inpainter=False),
        Row("N", "SegFormer-B0 for the same wall time as A (800 iterations: it is twice as fast)",
            ("model.name=segformer-b0",), inpainter=False, iterations=800),
        Row("P", "bf16 autocast instead of fp32 (AMX on this CPU; validation stays fp32)",
            ("train.precision=bf16",)),
        Row("M", "MiT-B0 initialised by masked-image-modelling pre-training (`fosp train-ssl`, 400 it at 160², 1.6 min)",
            (f"model.pretrained_backbone={ssl_backbone}",), needs=(ssl_backbone,)),
    ]


CONTINUE_FROM = "4506e81"  # commit whose resources/models/fosp-default.safetensors is stage 4 (F_β 49.1)
CONTINUE_BUDGET = Budget(iterations=300, crop=256, batch=8, warmup=20)
CONTINUE_LR = "optim.lr=1e-4"
CONTINUE_EMA = "train.ema_decay=0.99"  # every continuation also keeps a weight average: a paired EMA test


def continuation_rows() -> list[Row]:
    """Second round: 300-iteration continuations of the stage-4 default; c0 is the plain one."""
    return [
        Row("c0", "plain continuation: small-cpu at 256² crops, lr 1e-4, warm-up 20"),
        Row("cH", "all-background crops kept (cat_max_ratio 1.0): more smoke-free training crops",
            ("data.cat_max_ratio=1.0",)),
        Row("cK", "real photos only (no synthetic smoke)",
            ('data.train=[{path = "smoke5k-train", split = "scene-train"}]',)),
        Row("cB", "lower lr 3e-5", ("optim.lr=3e-5",)),
        Row("cD", "loss BCE + Dice", ("model.overrides.loss=bce+dice",)),
        Row("cG", "fewer smoke-centred crops (30 % instead of 70 %)", ("data.smoke_crop_prob=0.3",)),
        Row("cP", "bf16 autocast instead of fp32 (AMX on this CPU; validation stays fp32)",
            ("train.precision=bf16",)),
        # rows added after cP run in bf16 (the recipe's precision "auto" on this CPU); cP ~ c0 in score
        Row("cI", "native-resolution crops (data.scale 0: 256² crops of the full-size photo x 0.5-1.5, "
                  "not of a 640 px copy), bf16", ("data.scale=0",)),
        Row("cR", "progressive resizing: 192² crops (of a 480 px copy) for the first 150 iterations, "
                  "then 256², bf16", ("data.crop_schedule=[[0, 192], [150, 256]]",)),
        # which synthetic smoke: the recipe draws both kinds (SMOKE5K's own synthetic images 0.25,
        # early smoke composited on the fly by Eq. 1 over the train-split photos 0.30); each row keeps
        # the real photos at 0.45 and gives all the synthetic draws to one kind
        Row("cS", "synthetic draws all composited on the fly (Eq. 1 over real train photos), none of "
                  "SMOKE5K's synthetic images; bf16",
            ('data.train=[{path = "smoke5k-train", split = "scene-train", weight = 0.45}, '
             '{path = "smoke5k-train", split = "scene-train", kind = "synthetic", weight = 0.55}]',)),
        Row("cT", "synthetic draws all SMOKE5K's synthetic images, no smoke composited on the fly; bf16",
            ('data.train=[{path = "smoke5k-train", split = "scene-train", weight = 0.45}, '
             '{path = "smoke5k-train", subset = "synthetic", weight = 0.55}]',)),
    ]


TABLE4_BUDGET = Budget(iterations=1500, crop=160, batch=8, warmup=60)


SSL_LONG = "ssl-mit_b0-5000"  # run folder of the long masked-image-modelling pre-training (row tM)


def table4_rows(ssl_long: str = "") -> list[Row]:
    """Third round: the paper's Table 4 question (do Focus and Separation help?) from scratch, at a
    budget where both models have learned something, with seeds."""
    ssl_long = ssl_long or str(runs_dir() / SSL_LONG / "backbone.safetensors")
    return [
        Row("tF", "FoSp (fosp-s: MiT-B0 + Focus + Separation), small-cpu recipe from random weights"),
        Row("tS", "SegFormer-B0 (Table 4 row a: no Focus, no Separation), same recipe",
            ("model.name=segformer-b0",), inpainter=False),
        # initialisation and normalisation, from random weights (each changes one thing against tF)
        Row("tQ", "FoSp with PyTorch's default initialisation instead of SegFormer's "
                  "(trunc-normal 0.02 linears, He-normal convs)", ("model.overrides.init=torch",)),
        Row("tG", "FoSp with GroupNorm instead of BatchNorm in the decoder (batch 8: BatchNorm's "
                  "statistics come from 8 crops)", ("model.overrides.norm=gn",)),
        # self-supervised pre-training, longer than round one's row M (400 iterations)
        Row("tM", "FoSp whose MiT-B0 starts from 5000 iterations of masked-image-modelling pre-training "
                  "on every image at hand (`fosp train-ssl --iterations 5000 --crop 160`; no labels, "
                  "scene-val left out)",
            (f"model.pretrained_backbone={ssl_long}",), needs=(ssl_long,)),
    ]
