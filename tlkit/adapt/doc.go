// Package adapt implements unsupervised domain adaptation on fixed feature vectors (e.g.
// the frozen sentence embeddings of tlkit.ExtractFeatures): a classifier is trained on
// labelled source-domain examples while a second loss pulls the representation of the
// unlabelled target-domain examples towards the source's, so that the classifier transfers.
//
// The adaptable network sits on the features: a standardization (fitted on the source and
// target features together, no labels used), one dense feature layer with a ReLU, and a
// linear classifier. Methods differ only in the extra loss on the feature layer:
//
//   - SourceOnly: none, the no-adaptation baseline;
//   - DANN (Ganin et al., "Domain-Adversarial Training of Neural Networks", JMLR 2016): a
//     domain discriminator (one hidden layer) tells source from target features through a
//     gradient-reversal layer (GradientReversal), whose factor follows the paper's schedule
//     λ_p = 2/(1+exp(−10p)) − 1 over the training progress p (DANNLambda);
//   - MMD (Gretton et al. 2012; Long et al., DAN, 2015): the squared maximum mean discrepancy
//     between the source and target features of each batch, with a multi-bandwidth Gaussian
//     or a linear kernel (Kernel);
//   - CORAL (Sun & Saenko, "Deep CORAL", 2016): the distance between the feature covariances,
//     ||C_s − C_t||²_F / (4d²);
//   - TargetOracle: supervised training on the labelled target examples, the upper
//     reference (it is the only method that reads target labels).
//
// Every method trains with the same loop (tlkit/train), on batches that carry as many source
// as target examples, for a fixed number of steps; the model is selected without target
// labels (the last step, or the best source-dev accuracy).
//
// ProxyADistance measures how distinguishable two domains are (Ben-David et al. 2007,
// 2010): PAD = 2(1 − 2ε), ε being the held-out error of a linear domain classifier, from
// about 0 (indistinguishable) to 2 (separable).
package adapt
