"""Training: recipes (`config`), optimiser groups and schedule (`optim`), data mixtures (`data`),
the loop with DDP / AMP / exact resume (`loop`; its parts: device, precision and seeds in `runtime`,
SIGINT/SIGTERM in `signals`, what `last.pt` holds in `resume`, the best checkpoint in `best`,
one optimiser step in `step`, its result, errors and `TrainerParts` in `trainer_types`),
validation (`evaluate`), inpainter pre-training
(`inpainter`), masked-image pre-training of the MiT encoder without labels (`ssl`, `ssl_config`,
`ssl_data`), training-state files (`state`) and export of a default model (`export`).

Entry points: `fosp train`, `fosp train-inpainter`, `fosp train-export` (`fosp_core.cli.train`),
`fosp train-ssl` (`fosp_core.cli.train_ssl`);
in Python `Trainer(load_config("small-cpu", ["data.root=..."])).run()`. See docs/training.md.
"""
