// Package qa is gotl's extractive question answering (SQuAD format): a question and its
// context are cut into windows of encoder tokens (Windows, with a stride, as HuggingFace's
// run_qa.py does with doc_stride), every context piece keeps the character span of its word,
// a span head scores each piece as the answer's start and end, and Decode takes the best
// span over all windows of a context and maps it back to the context's text. The scores are
// SQuAD v1.1's (metrics.QAScores).
package qa
