"""Evaluates the trained model on the test set.

Run by the pipeline's Evaluate step (a SageMaker processing job in the
XGBoost image): the model artifact is in /opt/ml/processing/model, the test
split in /opt/ml/processing/test. Writes evaluation.json to
/opt/ml/processing/evaluation in SageMaker's model quality format; the
Register step attaches it to the model version.
"""
import glob
import json
import os
import tarfile

import pandas as pd
import xgboost
from sklearn.metrics import accuracy_score, roc_auc_score

MODEL = "/opt/ml/processing/model"
TEST = "/opt/ml/processing/test"
OUTPUT = "/opt/ml/processing/evaluation"


def main():
    with tarfile.open(f"{MODEL}/model.tar.gz") as archive:
        archive.extractall(MODEL)
    booster = xgboost.Booster()
    booster.load_model(f"{MODEL}/xgboost-model")

    test = pd.concat(pd.read_csv(f, header=None) for f in glob.glob(f"{TEST}/*.csv"))
    labels, features = test.iloc[:, 0], test.iloc[:, 1:]
    scores = booster.predict(xgboost.DMatrix(features.values))

    report = {
        "binary_classification_metrics": {
            "accuracy": {"value": float(accuracy_score(labels, scores > 0.5))},
            "auc": {"value": float(roc_auc_score(labels, scores))},
        }
    }
    os.makedirs(OUTPUT, exist_ok=True)
    with open(f"{OUTPUT}/evaluation.json", "w") as f:
        json.dump(report, f)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
