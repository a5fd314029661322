"""Would a trained classifier choose themes better than the rules? Cross-validated figures.

    python benchmarks/theme_classifier_cv.py   # needs scikit-learn, which the project does not install

Trains TF-IDF (words and word pairs) + one-vs-rest logistic regression on the labelled
recommendations of benchmarks/extraction/tuning and fresh (never scored/), 5-fold cross
validation with a fixed seed, per theme with at least 3 examples. Measured 2026-12-03 with
scikit-learn 1.9.1 on 70 recommendations (29 themes, 18 with >= 3 examples): micro precision
0.833, recall 0.056, F1 0.105; the rules (ingest/themes.py, no document context) on the same
70 texts: precision 0.821, recall 0.743, F1 0.780 (tuned on them, so an upper figure). Too few labelled examples per theme for a classifier to learn
from, so the extractor uses the rules; revisit with several hundred labelled recommendations.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.extraction.render import load_spec, expectations
texts, labels = [], []
for folder in ("tuning", "fresh"):
    for p in sorted((Path(__file__).resolve().parent / "extraction" / folder).glob("*.yml")):
        recs, _ = expectations(load_spec(p))
        for r in recs:
            texts.append(r["text"]); labels.append(r["themes"])
try:
    from sklearn.feature_extraction.text import TfidfVectorizer
except ModuleNotFoundError:
    sys.exit("this benchmark needs scikit-learn (pip install scikit-learn==1.9.1); the project does not install it")
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.metrics import precision_recall_fscore_support
mlb = MultiLabelBinarizer(); Y = mlb.fit_transform(labels)
keep = Y.sum(0) >= 3
print(len(texts), "recommendations;", Y.shape[1], "themes;", keep.sum(), "with >= 3 examples")
pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
                     OneVsRestClassifier(LogisticRegression(C=10, class_weight="balanced", max_iter=2000)))
pred = cross_val_predict(pipe, texts, Y[:, keep], cv=KFold(5, shuffle=True, random_state=0))
p, r, f, s = precision_recall_fscore_support(Y[:, keep], pred, average=None, zero_division=0)
for name, pp, rr, ss in zip(mlb.classes_[keep], p, r, s):
    print(f"  {name:28} P {pp:.2f} R {rr:.2f} n={ss}")
P, R, F, _ = precision_recall_fscore_support(Y[:, keep], pred, average="micro", zero_division=0)
print(f"micro P {P:.3f} R {R:.3f} F1 {F:.3f}")
