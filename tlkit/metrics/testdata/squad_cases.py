# Writes the expected answers of squad_cases.json: SQuAD v1.1 evaluate-v1.1.py's normalize_answer and
# f1_score, and MLQA evaluate_mlqa.py's for "zh", written out from their definitions, on random
# strings built to hit articles, punctuation, white space and case corners.
# Usage: /usr/bin/python3 squad_cases.py squad_cases.json
import random, json, re, string, sys, unicodedata
from collections import Counter
random.seed(7)
alpha = list("aAnNtThHeE  ,.!-_'\"()") + ["the","The","an","a","ΟΔΟΣ","Σ","İ","北京","大学","。","«","»","\x1c","\u00a0","2008","年","x","y","\t","ﬁ","ǅ","’"]
cases=[]
for _ in range(400):
    cases.append(("".join(random.choice(alpha) for _ in range(random.randint(0,12))), "".join(random.choice(alpha) for _ in range(random.randint(0,12)))))
def norm_squad(s):
    def remove_articles(text): return re.sub(r'\b(a|an|the)\b', ' ', text)
    def white_space_fix(text): return ' '.join(text.split())
    def remove_punc(text):
        exclude = set(string.punctuation); return ''.join(ch for ch in text if ch not in exclude)
    return white_space_fix(remove_articles(remove_punc(s.lower())))
PUNCT = {chr(i) for i in range(sys.maxunicode) if unicodedata.category(chr(i)).startswith('P')}.union(string.punctuation)
def mixed(text):
    segs_out=[]; temp_str=""
    for char in text:
        if re.search(r'[\u4e00-\u9fa5]', char) or char in PUNCT:
            if temp_str != "": segs_out.extend(temp_str.split()); temp_str=""
            segs_out.append(char)
        else: temp_str += char
    if temp_str != "": segs_out.extend(temp_str.split())
    return segs_out
def norm_zh(s):
    t=''.join(ch for ch in s.lower() if ch not in PUNCT)
    return ' '.join([x for x in mixed(t) if x.strip() != ''])
def f1(p,g,norm):
    pt=norm(p).split(); gt=norm(g).split()
    common=Counter(pt)&Counter(gt); ns=sum(common.values())
    if ns==0: return 0
    pr=ns/len(pt); rc=ns/len(gt); return 2*pr*rc/(pr+rc)
out=[]
for p,g in cases:
    out.append({"p":p,"g":g,"ns":norm_squad(p),"nz":norm_zh(p),"em":float(norm_squad(p)==norm_squad(g)),"f1":f1(p,g,norm_squad),"emz":float(norm_zh(p)==norm_zh(g)),"f1z":f1(p,g,norm_zh)})
json.dump(out, open(sys.argv[1],"w"), indent=0, ensure_ascii=False)
