// Package distill makes a sentence encoder multilingual by knowledge distillation (Reimers &
// Gurevych 2020, "Making Monolingual Sentence Embeddings Multilingual using Knowledge
// Distillation"): a student BERT learns to put a sentence in the target language where a
// frozen teacher puts its translation, by the mean squared error between the student's
// mean-pooled vector of the target sentence and the teacher's vector of the source sentence.
// The trained student then embeds target-language text into the teacher's vector space:
// translation retrieval (Retrieval, XTREME's Tatoeba accuracy) and zero-shot use of
// classifiers trained on teacher vectors.
//
// Here the teacher is USE-lite (English only) and the student a character-level BERT over a
// vocabulary built from the Chinese text (wordpiece.CharacterVocab), trained on the en_zh
// Tatoeba pairs (data.LoadEnZh).
package distill
