/**
 * Small, deterministic numerical learning: a limited-memory BFGS minimiser ({@link
 * dev.llmcls.learn.Lbfgs}) and multinomial logistic regression on dense vectors with its L2 penalty
 * chosen by k-fold cross-validation ({@link dev.llmcls.learn.SoftmaxRegression}), the linear probe
 * of {@code --mode linear}; and multinomial naive Bayes on TF-IDF word features with its smoothing
 * chosen the same way ({@link dev.llmcls.learn.TfidfNaiveBayes}), the lexical half of {@code --mode
 * knn-tfidf}.
 *
 * <p>Written here rather than taken from a library: the well-kept Java libraries with multinomial
 * logistic regression are GPL-3.0 (Smile) or a framework of their own that trains it by stochastic
 * gradient descent (Tribuo); liblinear's Java port fits multi-class logistic regression one class
 * against the rest; Commons Math has no L-BFGS. The problem here is small (a few thousand vectors
 * of a few hundred dimensions, a handful of classes), smooth and strictly convex, where a textbook
 * L-BFGS with a backtracking line search is about a hundred lines and every result is reproducible
 * bit for bit (sequential sums in a fixed order, {@link java.lang.StrictMath}).
 *
 * <p>Depends on nothing else in llmcls.
 */
package dev.llmcls.learn;
