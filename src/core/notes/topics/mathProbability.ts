// Area 10, math-probability: entropy and KL, Gaussian KL, Sanov, variance identities, quadratic forms, Bayes,
// the sigmoid derivative and the quotient rule.
import { formula as f, step as s, realParam, tex as t } from '../author';
import type { NoteTopicSource } from '../types';

export const mathProbabilityTopics: readonly NoteTopicSource[] = [
  {
    id: 'entropy-cross-entropy-kl',
    area: 'math-probability',
    title: 'Entropy, cross-entropy and KL divergence',
    summary:
      'Entropy is the expected surprise −log p under p; cross-entropy measures the surprise of q’s code on samples from p; their difference is the KL divergence, which is non-negative and zero only when p = q. Since H(p) does not depend on q, minimizing cross-entropy minimizes KL. KL is not symmetric: forward KL is mode-covering, reverse KL (as in variational inference) mode-seeking.',
    confidence: 'high',
    formulas: [
      f(t`H(p) = -\sum_x p(x)\log p(x),\qquad H(p, q) = -\sum_x p(x)\log q(x)`, 'H(p) = −Σ p(x)·log p(x),  H(p, q) = −Σ p(x)·log q(x)'),
      f(t`D_{\mathrm{KL}}(p \Vert q) = \sum_x p(x)\log\frac{p(x)}{q(x)} = H(p, q) - H(p) \ge 0`, 'KL(p ‖ q) = Σ p(x)·log(p(x)/q(x)) = H(p, q) − H(p) ≥ 0'),
      f(t`\text{one-hot } y:\ \operatorname{CE} = -\log q_y`, 'one-hot target y: CE = −log q_y'),
      f(t`\operatorname*{arg\,min}_q H(p, q) = \operatorname*{arg\,min}_q D_{\mathrm{KL}}(p \Vert q)`, 'argmin_q H(p, q) = argmin_q KL(p ‖ q)'),
    ],
    derivation: [
      s(t`D_{\mathrm{KL}}(p \Vert q) = \mathbb E_p[\log p] - \mathbb E_p[\log q] = H(p, q) - H(p)`, 'Expand the log ratio.'),
      s(t`-D_{\mathrm{KL}}(p \Vert q) = \mathbb E_p\Big[\log\frac{q}{p}\Big] \le \log \mathbb E_p\Big[\frac{q}{p}\Big]`, 'Jensen: log is concave.'),
      s(t`\log \mathbb E_p\Big[\frac{q}{p}\Big] = \log\sum_x q(x) = \log 1 = 0`, 'So the KL is non-negative, with equality iff q/p is constant, i.e. p = q (Gibbs).'),
    ],
    caveats: ['F.kl_div(input, target) expects input = log q and computes KL(target ‖ q); use reduction="batchmean" for the per-sample KL.'],
    related: ['kl-gaussians', 'kl-sample-interpretation', 'label-smoothing'],
  },
  {
    id: 'kl-gaussians',
    area: 'math-probability',
    title: 'KL divergence between Gaussians',
    summary:
      'The KL between two Gaussians has a closed form made of a trace term, a Mahalanobis distance between the means, the dimension and a log-determinant ratio. Against the standard normal it reduces to ½(tr Σ + μᵀμ − k − ln det Σ), and for a diagonal Σ to the VAE’s ½Σ(σ² + μ² − 1 − ln σ²).',
    confidence: 'high',
    formulas: [
      f(t`D_{\mathrm{KL}}\big(\mathcal N_1 \Vert \mathcal N_2\big) = \tfrac12\Big[\operatorname{tr}(\Sigma_2^{-1}\Sigma_1) + (\mu_2 - \mu_1)^\top \Sigma_2^{-1}(\mu_2 - \mu_1) - k + \ln\frac{\det\Sigma_2}{\det\Sigma_1}\Big]`, 'KL(N₁ ‖ N₂) = ½[tr(Σ₂⁻¹Σ₁) + (μ₂ − μ₁)ᵀΣ₂⁻¹(μ₂ − μ₁) − k + ln(det Σ₂/det Σ₁)]'),
      f(t`D_{\mathrm{KL}}\big(\mathcal N(\mu, \Sigma) \Vert \mathcal N(0, I)\big) = \tfrac12\big[\operatorname{tr}\Sigma + \mu^\top\mu - k - \ln\det\Sigma\big]`, 'KL(N(μ, Σ) ‖ N(0, I)) = ½[tr Σ + μᵀμ − k − ln det Σ]'),
      f(t`\text{diagonal: } \tfrac12\sum_j\big(\sigma_j^2 + \mu_j^2 - 1 - \ln\sigma_j^2\big)`, 'diagonal (VAE): ½·Σ_j (σ_j² + μ_j² − 1 − ln σ_j²)'),
      f(t`\text{1-D: } \ln\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2} - \frac12`, '1-D: ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½'),
    ],
    derivation: [
      s(t`\log p_i(x) = -\tfrac12 (x - \mu_i)^\top \Sigma_i^{-1} (x - \mu_i) - \tfrac12 \ln\det\Sigma_i - \tfrac k2 \ln 2\pi`, 'Gaussian log-density.'),
      s(t`\log p_1 - \log p_2 = \tfrac12 \ln\frac{\det\Sigma_2}{\det\Sigma_1} - \tfrac12 (x - \mu_1)^\top\Sigma_1^{-1}(x - \mu_1) + \tfrac12 (x - \mu_2)^\top\Sigma_2^{-1}(x - \mu_2)`, 'The 2π terms cancel.'),
      s(t`\mathbb E_{p_1}\big[(x - \mu_1)^\top\Sigma_1^{-1}(x - \mu_1)\big] = \operatorname{tr}(\Sigma_1^{-1}\Sigma_1) = k`, 'Expected quadratic form with zero-mean deviation (quadratic-form-expectation).'),
      s(t`\mathbb E_{p_1}\big[(x - \mu_2)^\top\Sigma_2^{-1}(x - \mu_2)\big] = \operatorname{tr}(\Sigma_2^{-1}\Sigma_1) + (\mu_1 - \mu_2)^\top\Sigma_2^{-1}(\mu_1 - \mu_2)`, 'The same lemma with mean offset μ₁ − μ₂.'),
      s(t`D_{\mathrm{KL}} = \tfrac12\Big[\operatorname{tr}(\Sigma_2^{-1}\Sigma_1) + (\mu_2 - \mu_1)^\top\Sigma_2^{-1}(\mu_2 - \mu_1) - k + \ln\frac{\det\Sigma_2}{\det\Sigma_1}\Big]`, 'Collect the terms.'),
    ],
    calculators: ['kl-gaussians'],
    parameters: [realParam('mu1', t`\mu_1`, 'mean 1', 0, -1e6, 1e6), realParam('sigma1', t`\sigma_1`, 'std 1', 1, 1e-9), realParam('mu2', t`\mu_2`, 'mean 2', 1, -1e6, 1e6), realParam('sigma2', t`\sigma_2`, 'std 2', 2, 1e-9)],
    snippets: [{ title: 'VAE KL term', code: 'kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())\n' }],
    related: ['vae-elbo', 'entropy-cross-entropy-kl', 'quadratic-form-expectation'],
  },
  {
    id: 'kl-sample-interpretation',
    area: 'math-probability',
    title: 'KL as an exponential rate in the number of samples',
    summary:
      'Draw n samples from a fixed P: the probability that they look as if they came from Q decays like exp(−n·KL(Q ‖ P)) (Sanov’s theorem). Example: P = fair coin, Q = Bern(0.7), KL = 0.0823 nats; the chance of ≥ 70 heads in 100 tosses is 3.9·10⁻⁵ against e^{−8.23} = 2.7·10⁻⁴ — the exponent is right up to polynomial factors.',
    confidence: 'medium',
    formulas: [
      f(t`\Pr_{P^n}\big(\hat P_n \approx Q\big) \doteq e^{-n\, D_{\mathrm{KL}}(Q \Vert P)}`, 'Pr_{Pⁿ}(P̂_n ≈ Q) ≐ exp(−n·KL(Q ‖ P))   (Sanov)'),
      f(t`x_i \overset{\text{iid}}{\sim} Q:\ \frac1n \sum_i \ln\frac{Q(x_i)}{P(x_i)} \to D_{\mathrm{KL}}(Q \Vert P)`, 'x_i ~ Q iid: (1/n)·Σ ln(Q(x_i)/P(x_i)) → KL(Q ‖ P)'),
    ],
    derivation: [
      s(t`P^n(x_{1:n}) = \prod_a P(a)^{n \hat Q(a)} = e^{-n(H(\hat Q) + D(\hat Q \Vert P))}`, 'The probability of a sequence depends only on its empirical type Q̂.'),
      s(t`|\{x_{1:n} : \text{type } Q\}| \approx e^{n H(Q)}`, 'Method of types: there are about e^{nH(Q)} sequences of type Q.'),
      s(t`\Pr(\text{type } Q) \approx e^{n H(Q)} e^{-n(H(Q) + D(Q \Vert P))} = e^{-n D(Q \Vert P)}`, 'Multiply: the entropies cancel up to polynomial factors.'),
      s(t`D(\operatorname{Bern}(0.7) \Vert \operatorname{Bern}(0.5)) = 0.7\ln 1.4 + 0.3\ln 0.6 \approx 0.0823`, 'Worked example.'),
    ],
    related: ['entropy-cross-entropy-kl'],
  },
  {
    id: 'variance-identities',
    area: 'math-probability',
    title: 'Variance and sampling identities',
    summary:
      'Var(X) = E[X²] − E[X]². The mean of n independent samples has variance σ²/n; the plain sample variance (divide by n) is biased by (n − 1)/n, hence Bessel’s 1/(n − 1). Independent Gaussians add their means and variances — the fact behind diffusion’s closed form. torch.var is unbiased by default, np.var is not.',
    confidence: 'high',
    formulas: [
      f(t`\operatorname{Var}(X) = \mathbb E[X^2] - \mathbb E[X]^2,\quad \operatorname{Var}(aX + b) = a^2 \operatorname{Var}X`, 'Var(X) = E[X²] − E[X]²,  Var(aX + b) = a²·Var X'),
      f(t`X \perp Y:\ \operatorname{Var}(XY) = \sigma_X^2\sigma_Y^2 + \mu_X^2\sigma_Y^2 + \mu_Y^2\sigma_X^2`, 'X ⊥ Y: Var(XY) = σ_X²σ_Y² + μ_X²σ_Y² + μ_Y²σ_X²'),
      f(t`\operatorname{Var}\bar x = \frac{\sigma^2}{n},\qquad \mathbb E\Big[\tfrac1n \sum (x_i - \bar x)^2\Big] = \frac{n - 1}{n}\sigma^2`, 'Var x̄ = σ²/n;  E[(1/n)·Σ(x_i − x̄)²] = (n − 1)/n·σ²'),
      f(t`\mathcal N(\mu_1, \sigma_1^2) + \mathcal N(\mu_2, \sigma_2^2) = \mathcal N(\mu_1 + \mu_2, \sigma_1^2 + \sigma_2^2)`, 'N(μ₁, σ₁²) + N(μ₂, σ₂²) = N(μ₁ + μ₂, σ₁² + σ₂²)  (independent)'),
      f(t`n \sim \mathcal N(0, \sigma^2 I):\ \mathbb E[nn^\top] = \sigma^2 I,\ \mathbb E\lVert n \rVert^2 = d\sigma^2`, 'n ~ N(0, σ²I): E[nnᵀ] = σ²I,  E‖n‖² = dσ²'),
    ],
    derivation: [
      s(t`\operatorname{Var}(X) = \mathbb E[(X - \mu)^2] = \mathbb E[X^2] - 2\mu\,\mathbb E[X] + \mu^2 = \mathbb E[X^2] - \mu^2`, 'Expand the square.'),
      s(t`\operatorname{Var}\bar x = \frac{1}{n^2}\sum_i \operatorname{Var} x_i = \frac{\sigma^2}{n}`, 'Independent samples: the variances add and the 1/n factor squares.'),
      s(t`\sum (x_i - \bar x)^2 = \sum (x_i - \mu)^2 - n(\bar x - \mu)^2`, 'Centre on the true mean.'),
      s(t`\mathbb E\sum (x_i - \bar x)^2 = n\sigma^2 - n\frac{\sigma^2}{n} = (n - 1)\sigma^2`, 'Take expectations: dividing by n − 1 is unbiased (Bessel).'),
    ],
    related: ['attention-sqrt-d-scaling', 'diffusion-forward-process', 'quadratic-form-expectation'],
  },
  {
    id: 'quadratic-form-expectation',
    area: 'math-probability',
    title: 'Expectation of a quadratic form',
    summary:
      'For a random vector with mean μ and covariance Σ, E[xᵀQx] = μᵀQμ + tr(QΣ): the cross terms vanish and the noise part becomes a trace. In the isotropic case E‖x‖² = ‖μ‖² + dσ². It is the lemma behind the denoising-autoencoder penalty and the Gaussian KL.',
    confidence: 'medium',
    formulas: [
      f(t`x = \mu + e,\ \mathbb E e = 0,\ \operatorname{Cov} e = \Sigma:\quad \mathbb E[x^\top Q x] = \mu^\top Q \mu + \operatorname{tr}(Q\Sigma)`, 'E[xᵀQx] = μᵀQμ + tr(QΣ)'),
      f(t`\Sigma = \sigma^2 I,\ Q = I:\ \mathbb E\lVert x \rVert^2 = \lVert \mu \rVert^2 + d\sigma^2`, 'Σ = σ²I, Q = I: E‖x‖² = ‖μ‖² + dσ²'),
    ],
    derivation: [
      s(t`(\mu + e)^\top Q (\mu + e) = \mu^\top Q \mu + \mu^\top Q e + e^\top Q \mu + e^\top Q e`, 'Expand the quadratic form.'),
      s(t`\mathbb E[\mu^\top Q e] = \mathbb E[e^\top Q \mu] = 0`, 'The cross terms are linear in e, which has zero mean.'),
      s(t`e^\top Q e = \operatorname{tr}(e^\top Q e) = \operatorname{tr}(Q e e^\top)`, 'A scalar equals its trace, and the trace is cyclic.'),
      s(t`\mathbb E\operatorname{tr}(Q e e^\top) = \operatorname{tr}(Q\, \mathbb E[e e^\top]) = \operatorname{tr}(Q\Sigma)`, 'Expectation is linear, so it moves inside the trace.'),
    ],
    related: ['denoising-autoencoder-ridge', 'kl-gaussians', 'variance-identities'],
  },
  {
    id: 'bayes-rule',
    area: 'math-probability',
    title: 'Bayes’ rule',
    summary:
      'The posterior is the likelihood times the prior, normalized by the evidence P(Y), which sums (or integrates) the numerator over all hypotheses. That normalizer is what makes the posterior p(z|x) intractable in VAEs. Classic example: a 99%-sensitive, 95%-specific test for a 1%-prevalent condition gives a positive result that is right only 1 time in 6.',
    confidence: 'high',
    formulas: [
      f(t`P(X \mid Y) = \frac{P(Y \mid X)\, P(X)}{\sum_{x'} P(Y \mid x')\, P(x')}`, 'P(X | Y) = P(Y | X)·P(X)/Σ_x′ P(Y | x′)·P(x′)'),
      f(t`p(z \mid x) = \frac{p(x \mid z)\, p(z)}{\int p(x \mid z')\, p(z')\, dz'}`, 'p(z | x) = p(x | z)·p(z)/∫ p(x | z′)·p(z′) dz′'),
    ],
    derivation: [
      s(t`P(X, Y) = P(X \mid Y)\, P(Y) = P(Y \mid X)\, P(X)`, 'Write the joint probability in both orders.'),
      s(t`P(X \mid Y) = \frac{P(Y \mid X)\, P(X)}{P(Y)}`, 'Divide by P(Y).'),
      s(t`P(Y) = \sum_{x'} P(Y \mid x')\, P(x')`, 'Marginalize the joint over X to get the evidence.'),
      s(t`\frac{0.99 \cdot 0.01}{0.99 \cdot 0.01 + 0.05 \cdot 0.99} = \frac{0.0099}{0.0594} = \frac16`, 'Diagnostic test with prior 0.01, sensitivity 0.99, specificity 0.95.'),
    ],
    related: ['vae-elbo', 'kalman-filter-as-rnn'],
  },
  {
    id: 'sigmoid-derivative',
    area: 'math-probability',
    title: 'The sigmoid derivative',
    summary:
      'The sigmoid’s derivative is σ(1 − σ), at most ¼ at x = 0, so a stack of L sigmoids scales gradients by at most 0.25ᴸ. Combined with binary cross-entropy the derivative cancels and the gradient with respect to the logit is simply σ(z) − y — why BCEWithLogitsLoss takes raw logits.',
    confidence: 'high',
    formulas: [
      f(t`\sigma(x) = \frac{1}{1 + e^{-x}},\quad \sigma'(x) = \frac{e^{-x}}{(1 + e^{-x})^2} = \sigma(x)\big(1 - \sigma(x)\big) \le \tfrac14`, 'σ(x) = 1/(1 + e^(−x)),  σ′(x) = e^(−x)/(1 + e^(−x))² = σ(x)(1 − σ(x)) ≤ ¼'),
      f(t`\tanh(x) = 2\sigma(2x) - 1,\quad \tanh' = 1 - \tanh^2`, 'tanh(x) = 2σ(2x) − 1,  tanh′ = 1 − tanh²'),
      f(t`\frac{\partial}{\partial z}\big[-y\ln\sigma(z) - (1 - y)\ln(1 - \sigma(z))\big] = \sigma(z) - y`, '∂/∂z [−y·ln σ(z) − (1 − y)·ln(1 − σ(z))] = σ(z) − y'),
    ],
    derivation: [
      s(t`\sigma'(x) = -(1 + e^{-x})^{-2} \cdot (-e^{-x}) = \frac{e^{-x}}{(1 + e^{-x})^2}`, 'Chain rule on (1 + e^(−x))⁻¹.'),
      s(t`\frac{e^{-x}}{(1 + e^{-x})^2} = \frac{1}{1 + e^{-x}} \cdot \frac{e^{-x}}{1 + e^{-x}}`, 'Split the fraction.'),
      s(t`\frac{e^{-x}}{1 + e^{-x}} = 1 - \frac{1}{1 + e^{-x}} = 1 - \sigma(x)`, 'Rewrite the second factor.'),
      s(t`\sigma'(x) = \sigma(x)\big(1 - \sigma(x)\big) \le \tfrac14`, 'The product s(1 − s) peaks at s = ½, i.e. x = 0.'),
      s(t`\prod_{l=1}^{L} \sigma'(a_l) \le 0.25^L`, 'A stack of sigmoids shrinks gradients geometrically (rnn-nonlinearity-saturation, training-loop-debugging).'),
    ],
    related: ['quotient-rule', 'training-loop-debugging', 'backprop-two-layer-vector-calculus'],
  },
  {
    id: 'quotient-rule',
    area: 'math-probability',
    title: 'The quotient rule',
    summary:
      'The derivative of f/g is (f′g − fg′)/g², which follows from the product rule applied to f·g⁻¹. Its workhorse uses here are the softmax Jacobian α_i(δ_ij − α_j) and the sigmoid derivative.',
    confidence: 'high',
    formulas: [
      f(t`\Big(\frac{f}{g}\Big)' = \frac{f'g - fg'}{g^2}`, '(f/g)′ = (f′g − fg′)/g²'),
      f(t`\frac{\partial}{\partial e_j}\frac{e^{e_i}}{\sum_k e^{e_k}} = \alpha_i(\delta_{ij} - \alpha_j)`, '∂/∂e_j [e^(e_i)/Σ_k e^(e_k)] = α_i(δ_ij − α_j)'),
    ],
    derivation: [
      s(t`\Big(f \cdot g^{-1}\Big)' = f' g^{-1} + f \cdot (-g^{-2} g')`, 'Product rule, with the chain rule on g⁻¹.'),
      s(t`= \frac{f' g - f g'}{g^2}`, 'Common denominator.'),
      s(t`\frac{\partial}{\partial e_j}\frac{e^{e_i}}{S} = \frac{\delta_{ij} e^{e_i} S - e^{e_i} e^{e_j}}{S^2} = \alpha_i(\delta_{ij} - \alpha_j)`, 'Softmax with S = Σ_k e^(e_k): the worked use behind attention’s gradient.'),
    ],
    related: ['sigmoid-derivative', 'attention-soft-lookup', 'layer-norm-jacobian'],
  },
];
