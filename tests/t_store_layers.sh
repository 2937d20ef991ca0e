# t_store_layers.sh -- the store's files call each other in one direction:
# every call goes to a file of the same or a lower layer (the list in
# server/store/store_int.h) and no files call each other in a circle.
# Read from the object files (nm), so it sees calls, not just includes.
. "$(dirname "$0")/lib.sh"

OBJ=$BIN/obj/server/store
out=$(python3 - "$OBJ" "$TOP/server/store/store_int.h" <<'PY'
import glob, os, re, subprocess, sys
obj_dir, header = sys.argv[1], sys.argv[2]
layer = {}
for m in re.finditer(r'^ \*   layer (\d): (.*)$', open(header).read(), re.M):
    for name in m.group(2).split():
        layer["store_" + name] = int(m.group(1))
defs, uses = {}, {}
for o in glob.glob(obj_dir + "/store_*.o"):
    f = os.path.basename(o)[:-2]
    syms = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
    defs[f] = {l.split()[2] for l in syms.splitlines() if len(l.split()) == 3 and l.split()[1] in "TDBR"}
    uses[f] = {l.split()[1] for l in syms.splitlines() if len(l.split()) == 2 and l.split()[0] == "U"}
owner = {s: f for f, d in defs.items() for s in d}
edges = {f: sorted({owner[s] for s in uses[f] if s in owner and owner[s] != f}) for f in defs}
print("files", len(defs))
for f in sorted(defs):
    if f not in layer:
        print("unlayered", f)
for f, to in sorted(edges.items()):
    for g in to:
        if layer.get(g, 0) > layer.get(f, 0):
            print("upward", f, "->", g)
# A circle is a file that reaches itself.
for f in sorted(defs):
    seen, todo = set(), list(edges[f])
    while todo:
        g = todo.pop()
        if g not in seen:
            seen.add(g)
            todo.extend(edges[g])
    if f in seen:
        print("circle", f)
PY
)
files=$(awk '/^files /{print $2}' <<<"$out")
check "the store's object files were read ($files)" test "${files:-0}" -ge 30
same "every store file has a layer in store_int.h" "$(grep '^unlayered' <<<"$out")" ""
same "no store file calls a file of a higher layer" "$(grep '^upward' <<<"$out")" ""
same "no store files call each other in a circle" "$(grep '^circle' <<<"$out")" ""
