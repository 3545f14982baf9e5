#!/usr/bin/python3
"""Reference values for cambench's loss-check fixtures, computed in PyTorch float64.

Every built-in objective is written here a second time, straight from docs/losses.md and
independently of the Java code, so that `cambench loss-check` can be compared with it number by
number. Run it with Debian's /usr/bin/python3 (python3-torch); see tools/README.md.

  --check DIR   recompute every DIR/NAME.json and compare with DIR/NAME.expected.json
  --write DIR   (re)write DIR/NAME.expected.json for every DIR/NAME.json
  --new NAME --objective X --seed S [--param k=v ...] [--dir DIR]
                make a new input fixture DIR/NAME.json from a seed, and its expected file
  --print FILE  print the expected output of one input fixture on stdout
"""

import argparse
import json
import math
import random
import struct
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

DTYPE = torch.float64
MM_EPS = 1e-8  # min-max normalisation
NORM_FLOOR = 1e-12  # x / max(||x||, 1e-12)
ATOL, RTOL = 1e-4, 1e-3  # |actual - expected| <= ATOL + RTOL * |expected|
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "baselines/src/test/resources/fixtures/losses"

REQUIRED = object()  # marks a parameter without a default


# ---------------------------------------------------------------- notation (docs/losses.md#notation)

def cross_entropy(s, y):
    """CE(s, y) = mean_n -log softmax(s_n)[y_n]."""
    return -torch.log_softmax(s, dim=1).gather(1, y[:, None]).mean()


def kl_t(t, s, temperature):
    """KL_T(t, s) = T^2 mean_n sum_k p_t (log p_t - log p_s), p = softmax(./T); t is constant."""
    log_pt = torch.log_softmax(t.detach() / temperature, dim=1)
    log_ps = torch.log_softmax(s / temperature, dim=1)
    return temperature ** 2 * (log_pt.exp() * (log_pt - log_ps)).sum(dim=1).mean()


def caam(f):
    """CAAM(n) = sum_c f[n, c]: [N, C, H, W] -> [N, H, W]."""
    return f.sum(dim=1)


def cam_of(f, rows):
    """sum_c rows[n, c] f[n, c]: f [N, C, H, W], rows [N, C] -> [N, H, W] (no bias)."""
    return torch.einsum("nc,nchw->nhw", rows, f)


def first_extreme(a, largest):
    """Per row of a [N, P]: the entry at the first (lowest-index) position holding the max (min).

    Gathering one position makes ties pass their whole gradient to that first position.
    """
    with torch.no_grad():
        target = a.max(dim=1, keepdim=True).values if largest else a.min(dim=1, keepdim=True).values
        positions = torch.arange(a.shape[1]).expand_as(a)
        first = torch.where(a == target, positions, torch.full_like(positions, a.shape[1])).min(dim=1).values
    return a.gather(1, first[:, None])


def min_max(maps):
    """mm(A) = (A - min A) / (max A - min A + 1e-8), per map: [N, H, W] -> [N, H*W]."""
    a = maps.flatten(1)
    lo = first_extreme(a, largest=False)
    hi = first_extreme(a, largest=True)
    return (a - lo) / (hi - lo + MM_EPS)


def l2_norm(x, dim):
    """||x||_2 along dim, with gradient 0 where the norm is 0."""
    sq = (x * x).sum(dim=dim)
    nonzero = sq > 0
    root = torch.sqrt(torch.where(nonzero, sq, torch.ones_like(sq)))
    return torch.where(nonzero, root, torch.zeros_like(sq))


def l2_normalize(x, dim):
    """x / max(||x||_2, 1e-12) along dim."""
    return x / l2_norm(x, dim).clamp_min(NORM_FLOOR).unsqueeze(dim)


# ---------------------------------------------------------------- objectives

def obj_ce(x, p):
    return {"ce": cross_entropy(x.s, x.y)}


def obj_cam(x, p):
    target = cam_of(x.f, x.w.detach()[x.y])  # sg(W): only CE trains the classifier
    term = (min_max(caam(x.f)) - min_max(target)).abs().mean()
    return {"ce": cross_entropy(x.s, x.y), "cam": p["alpha"] * term}


def obj_center(x, p):
    c = x.state["centers"].detach()
    diff = x.z - c[x.y]
    return {"ce": cross_entropy(x.s, x.y), "center": p["lambda"] * 0.5 * (diff * diff).sum(dim=1).mean()}


def center_next(x, p):
    """c_j - center_alpha * sum_{n: y_n = j} (c_j - z_n) / (1 + count_j) for classes in the batch."""
    c = x.state["centers"].detach().clone()
    z = x.z.detach()
    updated = c.clone()
    for j in sorted(set(x.y.tolist())):
        members = x.y == j
        step = (c[j] - z[members]).sum(dim=0) / (1 + int(members.sum()))
        updated[j] = c[j] - p["center_alpha"] * step
    return {"centers": updated}


def chebyshev(c, m):
    """cos(m theta) as the polynomial T_m of c = cos(theta)."""
    before, now = torch.ones_like(c), c
    for _ in range(1, m):
        before, now = now, 2 * c * now - before
    return now


def obj_lsoftmax(x, p):
    m, lam = int(p["m"]), float(p["lambda"])
    w_y = x.w[x.y]
    dot = (w_y * x.z).sum(dim=1)
    scale = l2_norm(w_y, 1) * l2_norm(x.z, 1)
    cos = dot / torch.where(scale > 0, scale, torch.ones_like(scale))
    with torch.no_grad():
        theta = torch.acos(cos.clamp(-1.0, 1.0))
        k = torch.floor(theta * m / math.pi)
    psi = (1 - 2 * torch.remainder(k, 2)) * chebyshev(cos, m) - 2 * k
    target = (lam * dot + scale * psi) / (1 + lam)
    one_hot = F.one_hot(x.y, x.w.shape[0]).to(DTYPE)
    logits = x.z @ x.w.T * (1 - one_hot) + one_hot * target[:, None]  # bias not used
    return {"lsoftmax": cross_entropy(logits, x.y)}


def obj_smsoftmax(x, p):
    one_hot = F.one_hot(x.y, x.w.shape[0]).to(DTYPE)
    return {"smsoftmax": cross_entropy(x.s - p["m"] * one_hot, x.y)}


def hard_negatives(s, y, k):
    """[N, k]: per sample, the k non-target classes with the largest logits (ties: lower index)."""
    rows = []
    for logits, label in zip(s.detach().tolist(), y.tolist()):
        order = sorted(range(len(logits)), key=lambda j: (-logits[j], j))
        rows.append([j for j in order if j != label][:k])
    return torch.tensor(rows, dtype=torch.long)


def obj_negcam(x, p):
    classes = x.w.shape[0]
    k = min(10, classes - 1) if str(p["k"]).strip().lower() == "auto" else int(p["k"])
    if k < 0 or k > classes - 1:
        raise ValueError(f"negcam: k must be in 0..{classes - 1}, got {k}")
    terms = {"ce": cross_entropy(x.s, x.y)}
    if k > 0:
        chosen = hard_negatives(x.s, x.y, k)
        maps = torch.einsum("nkc,nchw->nkhw", x.w[chosen], x.f) + x.b[chosen][:, :, None, None]
        terms["negcam"] = p["lambda"] * (maps * maps).mean()
    return terms


def obj_kd(x, p):
    r = p["r"]
    return {"ce": (1 - r) * cross_entropy(x.s, x.y), "kd": r * kl_t(x.t, x.s, p["T"])}


def attention(f):
    """a(f)(n) = v / max(||v||, 1e-12), v = vec(mean_c f[n, c]^2): [N, H*W]."""
    return l2_normalize((f * f).mean(dim=1).flatten(1), 1)


def obj_at(x, p):
    if x.f.shape[2:] != x.ft.shape[2:]:
        raise ValueError(f"at: student {tuple(x.f.shape[2:])} and teacher {tuple(x.ft.shape[2:])} maps differ")
    beta = p["beta"]
    term = l2_norm(attention(x.f) - attention(x.ft.detach()), 1).mean()
    return {"ce": beta * cross_entropy(x.s, x.y), "kd": (1 - beta) * kl_t(x.t, x.s, p["T"]),
            "at": p["gamma"] * term}


def obj_ccm(x, p):
    h, w = x.f.shape[2:]
    ht, wt = x.ft.shape[2:]
    if ht % h or wt % w:
        raise ValueError(f"ccm: teacher map {ht}x{wt} does not pool to {h}x{w}")
    target = cam_of(x.ft.detach(), x.wt.detach()[x.y])
    if (ht, wt) != (h, w):
        target = F.avg_pool2d(target[:, None], kernel_size=(ht // h, wt // w))[:, 0]
    beta = p["beta"]
    term = (min_max(caam(x.f)) - min_max(target)).abs().mean()
    return {"ce": beta * cross_entropy(x.s, x.y), "kd": (1 - beta) * kl_t(x.t, x.s, p["T"]),
            "ccm": p["gamma"] * term}


def pooled_cams(f, w, r, normalize):
    """P(CAM): every class map [N, K, H, W] average-pooled to r x r, optionally L2-normalised."""
    pooled = F.adaptive_avg_pool2d(torch.einsum("kc,nchw->nkhw", w, f), r)
    if normalize:
        n, k = pooled.shape[:2]
        pooled = l2_normalize(pooled.reshape(n, k, -1), 2).reshape(pooled.shape)
    return pooled


def obj_catkd(x, p):
    r, normalize = int(p["R"]), p["normalize"]
    student = pooled_cams(x.f, x.w, r, normalize)
    teacher = pooled_cams(x.ft.detach(), x.wt.detach(), r, normalize)
    return {"ce": p["ce"] * cross_entropy(x.s, x.y), "cat": p["beta"] * ((student - teacher) ** 2).mean()}


def as_bool(v):
    text = str(v).strip().lower()
    if text not in ("true", "false"):
        raise ValueError(f"expected true or false, got {v!r}")
    return text == "true"


class Spec:
    """One objective: its function, its parameters (name -> (default, parser)), whether it distils."""

    def __init__(self, fn, params, teacher=False, state=None, after=None):
        self.fn, self.params, self.teacher, self.state, self.after = fn, params, teacher, state or [], after


OBJECTIVES = {
    "ce": Spec(obj_ce, {}),
    "cam": Spec(obj_cam, {"alpha": (3.0, float)}),
    "center": Spec(obj_center, {"lambda": (0.01, float), "center_alpha": (0.5, float)},
                   state=["centers"], after=center_next),
    "lsoftmax": Spec(obj_lsoftmax, {"m": (2, int), "lambda": (REQUIRED, float)}),
    "smsoftmax": Spec(obj_smsoftmax, {"m": (0.3, float)}),
    "negcam": Spec(obj_negcam, {"k": ("auto", str), "lambda": (0.07, float)}),
    "kd": Spec(obj_kd, {"T": (4.0, float), "r": (0.5, float)}, teacher=True),
    "at": Spec(obj_at, {"T": (4.0, float), "beta": (0.5, float), "gamma": (10.0, float)}, teacher=True),
    "ccm": Spec(obj_ccm, {"T": (4.0, float), "beta": (0.5, float), "gamma": (1.0, float)}, teacher=True),
    "catkd": Spec(obj_catkd, {"beta": (REQUIRED, float), "R": (2, int), "normalize": (False, as_bool),
                              "ce": (1.0, float)}, teacher=True),
}


# ---------------------------------------------------------------- fixture I/O

def f32(v):
    """v rounded to float32, as a Python float."""
    return struct.unpack("f", struct.pack("f", v))[0]


def num(v):
    """A float32 value as the fixtures print it: 9 significant digits, no negative zero."""
    return float(f"{f32(v):.9g}") + 0.0


def read_tensor(root, field, dims):
    node = root.get(field)
    if node is None:
        raise ValueError(f"{field}: missing")
    shape, data = node["shape"], node["data"]
    if len(shape) != dims or math.prod(shape) != len(data):
        raise ValueError(f"{field}: shape {shape} does not fit {len(data)} values / {dims} dimensions")
    return torch.tensor([f32(float(v)) for v in data], dtype=DTYPE).reshape(shape)


def write_tensor(t):
    return {"shape": list(t.shape), "data": [num(v) for v in t.detach().flatten().tolist()]}


def resolve_params(name, given):
    spec = OBJECTIVES[name]
    unknown = sorted(set(given) - set(spec.params))
    if unknown:
        raise ValueError(f"params: unknown {unknown} for {name} (known: {sorted(spec.params)})")
    out = {}
    for key, (default, parse) in spec.params.items():
        value = given.get(key, default)
        if value is REQUIRED:
            raise ValueError(f"params.{key}: required for {name} (no default)")
        out[key] = parse(value)
    return out


class Inputs:
    """The tensors of one fixture, with gradients on f, W and b."""

    def __init__(self, root, spec):
        self.f = read_tensor(root, "features", 4).requires_grad_()
        self.w = read_tensor(root, "weight", 2).requires_grad_()
        self.b = read_tensor(root, "bias", 1).requires_grad_()
        n, k = self.f.shape[0], self.w.shape[0]
        if self.w.shape[1] != self.f.shape[1] or self.b.shape[0] != k:
            raise ValueError("weight/bias shapes do not match features")
        self.y = torch.tensor(root["labels"], dtype=torch.long)
        if self.y.shape != (n,) or int(self.y.min()) < 0 or int(self.y.max()) >= k:
            raise ValueError("labels: wrong count or out of range")
        self.z = self.f.mean(dim=(2, 3))
        self.s = self.z @ self.w.T + self.b
        self.state = {key: read_tensor(root, key, 2) for key in spec.state}
        if spec.teacher:
            self.ft = read_tensor(root, "teacher_features", 4)
            self.wt = read_tensor(root, "teacher_weight", 2)
            self.bt = read_tensor(root, "teacher_bias", 1)
            self.t = self.ft.mean(dim=(2, 3)) @ self.wt.T + self.bt


def evaluate(root):
    """The expected loss-check output of a parsed input fixture, as a JSON-ready dict."""
    name = root.get("loss")
    if name not in OBJECTIVES:
        raise ValueError(f"loss: unknown objective {name!r} (known: {', '.join(OBJECTIVES)})")
    spec = OBJECTIVES[name]
    params = resolve_params(name, root.get("params") or {})
    x = Inputs(root, spec)
    total = sum(spec.fn(x, params).values())
    grads = torch.autograd.grad(total, [x.f, x.w, x.b], allow_unused=True)
    out = {"loss": num(total.item())}
    for key, tensor, grad in zip(["grad_features", "grad_weight", "grad_bias"], [x.f, x.w, x.b], grads):
        out[key] = write_tensor(grad if grad is not None else torch.zeros_like(tensor))
    if spec.after:
        for key, value in spec.after(x, params).items():
            out[key + "_next"] = write_tensor(value)
    return out


def dump(obj, path):
    path.write_text(json.dumps(obj) + "\n")


def inputs_in(folder):
    files = sorted(p for p in Path(folder).glob("*.json") if not p.name.endswith(".expected.json"))
    if not files:
        sys.exit(f"no input fixtures (NAME.json) in {folder}")
    return files


def expected_path(path):
    return path.with_name(path.name[:-len(".json")] + ".expected.json")


def compare(path, expected, actual, worst):
    """Appends mismatches of actual against expected to a list; worst[0] tracks max |diff|."""
    problems = []
    if isinstance(expected, dict):
        if set(expected) != set(actual):
            return [f"{path}: keys {sorted(actual)} != expected {sorted(expected)}"]
        for key in expected:
            problems += compare(f"{path}.{key}", expected[key], actual[key], worst)
    elif isinstance(expected, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(actual)} values, expected {len(expected)}"]
        for i, (e, a) in enumerate(zip(expected, actual)):
            problems += compare(f"{path}[{i}]", e, a, worst)
    else:
        diff = abs(float(actual) - float(expected))
        if not path.endswith("shape") and "shape[" not in path:
            worst[0] = max(worst[0], diff)
        if diff > ATOL + RTOL * abs(float(expected)):
            problems.append(f"{path}: expected {expected}, got {actual}")
    return problems


def check(folder):
    failed = 0
    for path in inputs_in(folder):
        stored = expected_path(path)
        if not stored.exists():
            print(f"{path.stem:<14} MISSING {stored.name}")
            failed += 1
            continue
        worst = [0.0]
        problems = compare("", json.loads(stored.read_text()), evaluate(json.loads(path.read_text())), worst)
        print(f"{path.stem:<14} max |diff| {worst[0]:.3e}  {'ok' if not problems else 'FAIL'}")
        for line in problems[:5]:
            print("    " + line)
        failed += bool(problems)
    total = len(inputs_in(folder))
    print(f"{total - failed}/{total} fixtures match (tolerance {ATOL:g} + {RTOL:g} * |expected|)")
    return 1 if failed else 0


def write(folder):
    for path in inputs_in(folder):
        dump(evaluate(json.loads(path.read_text())), expected_path(path))
        print(f"wrote {expected_path(path)}")
    return 0


# ---------------------------------------------------------------- new input fixtures

def parse_value(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def random_tensor(rng, shape, scale, relu=False):
    values = [rng.gauss(0.0, scale) for _ in range(math.prod(shape))]
    if relu:
        values = [max(v, 0.0) for v in values]
    return {"shape": list(shape), "data": [num(v) for v in values]}


def new_fixture(name, objective, seed, overrides, folder):
    """Writes folder/NAME.json (random tensors from seed) and its expected output."""
    if objective not in OBJECTIVES:
        sys.exit(f"--objective: unknown {objective!r} (known: {', '.join(OBJECTIVES)})")
    spec = OBJECTIVES[objective]
    params = {}
    for key, (default, _) in spec.params.items():
        if key in overrides:
            params[key] = overrides[key]
        elif default is REQUIRED:
            sys.exit(f"--param {key}=...: {objective} needs it (no default)")
        else:
            params[key] = default
    unknown = sorted(set(overrides) - set(spec.params))
    if unknown:
        sys.exit(f"--param: unknown {unknown} for {objective} (known: {sorted(spec.params)})")
    rng = random.Random(seed)
    n, c, k = rng.choice([3, 4]), rng.choice([4, 5, 6]), rng.choice([3, 4, 5])
    h = rng.choice([2, 3, 4])
    labels = [rng.randrange(k) for _ in range(n)]
    labels[1] = labels[0]  # a repeated label in every fixture
    root = {"loss": objective, "params": params,
            "features": random_tensor(rng, (n, c, h, h), 1.0, relu=True),
            "weight": random_tensor(rng, (k, c), 0.5),
            "bias": random_tensor(rng, (k,), 0.2),
            "labels": labels}
    if "centers" in spec.state:
        root["centers"] = random_tensor(rng, (k, c), 0.5)
    if spec.teacher:
        ct = c + rng.choice([-1, 0, 1, 2])
        ht = h if objective == "at" else h * rng.choice([1, 2])
        root["teacher_features"] = random_tensor(rng, (n, ct, ht, ht), 1.0, relu=True)
        root["teacher_weight"] = random_tensor(rng, (k, ct), 0.5)
        root["teacher_bias"] = random_tensor(rng, (k,), 0.2)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    dump(root, path)
    dump(evaluate(root), expected_path(path))
    print(f"wrote {path} and {expected_path(path).name}")
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description="Expected outputs of loss-check fixtures (PyTorch float64).")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", metavar="DIR", help="compare recomputed outputs with DIR/*.expected.json")
    mode.add_argument("--write", metavar="DIR", help="(re)write DIR/*.expected.json")
    mode.add_argument("--new", metavar="NAME", help="make a new input fixture NAME.json (and its expected file)")
    mode.add_argument("--print", metavar="FILE", help="print the expected output of one input fixture")
    parser.add_argument("--objective", help="with --new: the objective's registry name")
    parser.add_argument("--seed", type=int, help="with --new: seed of the random tensors")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="with --new: a parameter (repeatable); the others take their defaults")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="with --new: target folder (default: %(default)s)")
    args = parser.parse_args(argv)
    torch.set_grad_enabled(True)
    if args.check:
        return check(args.check)
    if args.write:
        return write(args.write)
    if args.print:
        print(json.dumps(evaluate(json.loads(Path(args.print).read_text()))))
        return 0
    if args.objective is None or args.seed is None:
        parser.error("--new needs --objective and --seed")
    overrides = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--param {item!r}: expected KEY=VALUE")
        overrides[key] = parse_value(value)
    return new_fixture(args.new, args.objective, args.seed, overrides, args.dir)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
