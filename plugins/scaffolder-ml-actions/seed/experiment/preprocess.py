"""Splits the experiment's data into train, validation and test sets.

Run by the pipeline's Preprocess step (a SageMaker processing job): the data
is in /opt/ml/processing/input (CSV or Parquet files, the label in the first
column), the splits go to /opt/ml/processing/{train,validation,test} as
headerless CSV, the format SageMaker's XGBoost algorithm reads.
"""
import glob
import os

import pandas as pd

INPUT = "/opt/ml/processing/input"
OUTPUT = "/opt/ml/processing"


def read_data():
    frames = [pd.read_parquet(f) for f in glob.glob(f"{INPUT}/**/*.parquet", recursive=True)]
    frames += [pd.read_csv(f) for f in glob.glob(f"{INPUT}/**/*.csv", recursive=True)]
    if not frames:
        raise SystemExit(f"no CSV or Parquet files under {INPUT}")
    return pd.concat(frames, ignore_index=True).dropna()


def main():
    data = read_data().sample(frac=1, random_state=42)
    n = len(data)
    splits = {
        "train": data.iloc[: int(n * 0.7)],
        "validation": data.iloc[int(n * 0.7): int(n * 0.85)],
        "test": data.iloc[int(n * 0.85):],
    }
    for name, frame in splits.items():
        os.makedirs(f"{OUTPUT}/{name}", exist_ok=True)
        frame.to_csv(f"{OUTPUT}/{name}/{name}.csv", header=False, index=False)
        print(f"{name}: {len(frame)} rows")


if __name__ == "__main__":
    main()
