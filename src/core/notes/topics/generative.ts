// Area 3, generative: linear and denoising autoencoders, masking, the VAE's ELBO and diffusion's forward process.
import { formula as f, step as s, intParam, realParam, tex as t } from '../author';
import type { NoteTopicSource } from '../types';

export const generativeTopics: readonly NoteTopicSource[] = [
  {
    id: 'linear-autoencoder-pca',
    area: 'generative',
    title: 'Linear autoencoders learn PCA',
    summary:
      'A linear autoencoder with a k-dimensional bottleneck minimizes ‖X − W₂W₁X‖², and by Eckart–Young its optimum projects onto the top-k left singular vectors of X: it learns the PCA subspace (up to an invertible mix). With weight decay the optimum becomes symmetric, W₁ = W₂ᵀ, and shrinks each direction by (1 − λ/σᵢ²)₊. Without a bottleneck the optimum is the trivial identity.',
    confidence: 'high',
    formulas: [
      f(t`\min_{W_1, W_2} \lVert X - W_2 W_1 X \rVert_F^2 \Rightarrow W_2 W_1 = U_k U_k^\top`, 'min ‖X − W₂W₁X‖²_F ⇒ W₂W₁ = U_k·U_kᵀ  (Eckart–Young)'),
      f(t`\lVert X - W_2W_1X \rVert_F^2 + \lambda\big(\lVert W_1\rVert_F^2 + \lVert W_2 \rVert_F^2\big) \Rightarrow W_1 = W_2^\top`, '‖X − W₂W₁X‖²_F + λ(‖W₁‖²_F + ‖W₂‖²_F) ⇒ W₁ = W₂ᵀ'),
      f(t`W_2 W_1 = U_k \operatorname{diag}\Big(\big(1 - \tfrac{\lambda}{\sigma_i^2}\big)_+\Big) U_k^\top`, 'W₂W₁ = U_k·diag((1 − λ/σ_i²)₊)·U_kᵀ'),
    ],
    derivation: [
      s(t`\operatorname{rank}(W_2 W_1 X) \le k`, 'The bottleneck has k units, so the reconstruction has rank at most k.'),
      s(t`\min_{\operatorname{rank} \le k} \lVert X - Y \rVert_F = \lVert X - U_k U_k^\top X \rVert_F`, 'Eckart–Young: the best rank-k approximation keeps the top-k singular directions.'),
      s(t`(W_2 G,\ G^{-1} W_1) \text{ is also optimal}`, 'Only the product is determined: any invertible G mixes the code.'),
      s(t`\min_{a,b}\ \sigma^2 (1 - ab)^2 + \lambda (a^2 + b^2)`, 'With weight decay, each singular mode decouples into a scalar problem.'),
      s(t`a^2 + b^2 \ge 2|ab|,\ \text{equality iff } |a| = |b|`, 'For a fixed product the penalty is smallest with equal magnitudes, hence W₁ = W₂ᵀ (up to an orthogonal matrix).'),
      s(t`a = b:\ \frac{\partial}{\partial a}\big[\sigma^2(1-a^2)^2 + 2\lambda a^2\big] = 0 \Rightarrow a^2 = 1 - \frac{\lambda}{\sigma^2}`, 'Setting the derivative to zero; if σ² ≤ λ the mode is switched off (a = 0).'),
    ],
    related: ['denoising-autoencoder-ridge', 'ridge-regression-kernel-form'],
  },
  {
    id: 'denoising-autoencoder-ridge',
    area: 'generative',
    title: 'A denoising linear autoencoder is ridge regression',
    summary:
      'Training a linear map to recover X from X + N with Gaussian noise of variance σ² is, in expectation, ‖X − WX‖² + nσ²‖W‖²: ridge regression with λ = nσ². The solution W* = XXᵀ(XXᵀ + λI)⁻¹ is a “soft PCA” that shrinks low-variance directions the most.',
    confidence: 'high',
    formulas: [
      f(t`\mathbb E_N \lVert X - W(X + N) \rVert_F^2 = \lVert X - WX \rVert_F^2 + n\sigma^2 \lVert W \rVert_F^2`, 'E_N ‖X − W(X + N)‖²_F = ‖X − WX‖²_F + nσ²‖W‖²_F'),
      f(t`W^* = XX^\top (XX^\top + \lambda I)^{-1} = U \operatorname{diag}\Big(\frac{\sigma_i^2}{\sigma_i^2 + \lambda}\Big) U^\top,\quad \lambda = n\sigma^2`, 'W* = XXᵀ(XXᵀ + λI)⁻¹ = U·diag(σ_i²/(σ_i² + λ))·Uᵀ,  λ = nσ²'),
    ],
    derivation: [
      s(t`\lVert X - WX - WN \rVert_F^2 = \lVert X - WX \rVert_F^2 - 2\langle X - WX, WN \rangle + \lVert WN \rVert_F^2`, 'Expand the square.'),
      s(t`\mathbb E\langle X - WX, WN \rangle = 0`, 'The noise has zero mean, so the cross term vanishes in expectation.'),
      s(t`\mathbb E \lVert WN \rVert_F^2 = \operatorname{tr}\big(W\, \mathbb E[NN^\top] W^\top\big) = n\sigma^2 \lVert W \rVert_F^2`, 'E[NNᵀ] = nσ²I for n columns of i.i.d. noise (quadratic-form-expectation).'),
      s(t`-(X - WX)X^\top + \lambda W = 0 \Rightarrow W(XX^\top + \lambda I) = XX^\top`, 'Set the gradient of the ridge objective to zero.'),
      s(t`W^* = U \operatorname{diag}\Big(\frac{\sigma_i^2}{\sigma_i^2 + \lambda}\Big) U^\top`, 'Substitute the SVD X = UΣVᵀ: each direction gets a filter factor in (0, 1).'),
    ],
    related: ['ridge-regression-kernel-form', 'linear-autoencoder-pca', 'quadratic-form-expectation', 'masking-as-subtractive-noise'],
  },
  {
    id: 'masking-as-subtractive-noise',
    area: 'generative',
    title: 'Masking is subtractive noise',
    summary:
      'Masking an input coordinate is the same as adding noise equal to −x_j with probability p: signal-dependent, subtractive noise, the masked-autoencoder counterpart of additive denoising. For a linear model with rescaled masks it adds a data-adaptive ridge penalty, the same algebra as dropout.',
    confidence: 'high',
    formulas: [
      f(t`\tilde x = m \odot x = x + \varepsilon,\quad \varepsilon_j = \begin{cases} -x_j & \text{w.p. } p\\ 0 & \text{w.p. } 1-p \end{cases}`, 'x̃ = m ⊙ x = x + ε,  ε_j = −x_j with prob. p, 0 otherwise'),
      f(t`\tilde x = \tfrac{m \odot x}{1-p}:\ \ \mathbb E\lVert x - W\tilde x \rVert^2 = \lVert x - Wx \rVert^2 + \frac{p}{1-p}\sum_j \lVert W_{:,j} \rVert^2 x_j^2`, 'x̃ = (m ⊙ x)/(1 − p):  E‖x − Wx̃‖² = ‖x − Wx‖² + p/(1 − p)·Σ_j ‖W_{:,j}‖²·x_j²'),
    ],
    derivation: [
      s(t`\mathbb E[\tilde x_j] = \frac{(1-p)\,x_j}{1-p} = x_j`, 'Rescaling by 1/(1−p) makes the masked input unbiased.'),
      s(t`\operatorname{Var}(\tilde x_j) = \frac{x_j^2}{(1-p)^2}(1-p) - x_j^2 = \frac{p}{1-p} x_j^2`, 'Second moment minus squared mean of a scaled Bernoulli.'),
      s(t`\mathbb E\lVert x - W\tilde x \rVert^2 = \lVert x - Wx \rVert^2 + \sum_j \lVert W_{:,j}\rVert^2 \operatorname{Var}(\tilde x_j)`, 'Bias–variance split with independent coordinates: a data-adaptive ridge penalty.'),
    ],
    caveats: ['MAE (He et al. 2022) masks 75% of the patches and computes the loss on the masked ones only.'],
    related: ['denoising-autoencoder-ridge', 'dropout'],
  },
  {
    id: 'vae-elbo',
    area: 'generative',
    title: 'VAE and the ELBO',
    summary:
      'The marginal likelihood p(x) = ∫p(x|z)p(z)dz is intractable, so a VAE learns an encoder q(z|x) and maximizes a lower bound: the ELBO, reconstruction minus the KL from q to the prior. The gap is exactly the KL from q to the true posterior. Sampling is made differentiable by the reparameterization z = μ + σ⊙ε. A larger KL weight (β > 1) pulls q toward the prior: reconstructions get blurrier, and samples from the prior may match what the decoder saw in training better; whether they look better depends on the model and the data.',
    confidence: 'high',
    formulas: [
      f(t`\log p_\theta(x) = \underbrace{\mathbb E_{q_\phi(z|x)}\big[\log p_\theta(x \mid z)\big] - D_{\mathrm{KL}}\big(q_\phi(z \mid x) \,\Vert\, p(z)\big)}_{\text{ELBO}} + D_{\mathrm{KL}}\big(q_\phi(z \mid x) \,\Vert\, p_\theta(z \mid x)\big)`, 'log p(x) = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)) + KL(q(z|x) ‖ p(z|x)) ≥ ELBO'),
      f(t`z = \mu_\phi(x) + \sigma_\phi(x) \odot \epsilon,\ \ \epsilon \sim \mathcal N(0, I)`, 'z = μ(x) + σ(x) ⊙ ε,  ε ~ N(0, I)'),
      f(t`D_{\mathrm{KL}} = \tfrac12 \sum_j \big(\sigma_j^2 + \mu_j^2 - 1 - \ln \sigma_j^2\big)`, 'KL = ½·Σ_j (σ_j² + μ_j² − 1 − ln σ_j²)'),
      f(t`\beta\text{-VAE: } \mathcal L = -\mathbb E_q[\log p(x \mid z)] + \beta\, D_{\mathrm{KL}}(q \Vert p)`, 'β-VAE: L = −E_q[log p(x|z)] + β·KL(q ‖ p)'),
    ],
    derivation: [
      s(t`\log p(x) = \log \int p(x, z)\, \frac{q(z \mid x)}{q(z \mid x)}\, dz = \log \mathbb E_q\Big[\frac{p(x,z)}{q(z \mid x)}\Big]`, 'Multiply and divide by q inside the integral.'),
      s(t`\log \mathbb E_q\Big[\frac{p(x,z)}{q}\Big] \ge \mathbb E_q\Big[\log \frac{p(x,z)}{q}\Big] = \text{ELBO}`, 'Jensen: log is concave.'),
      s(t`\log p(x) - \text{ELBO} = \mathbb E_q\Big[\log \frac{q(z \mid x)}{p(z \mid x)}\Big] = D_{\mathrm{KL}}\big(q(z \mid x) \Vert p(z \mid x)\big) \ge 0`, 'Write p(x,z) = p(z|x)p(x): the gap is a KL divergence.'),
      s(t`\text{ELBO} = \mathbb E_q[\log p(x \mid z)] - D_{\mathrm{KL}}\big(q(z \mid x) \Vert p(z)\big)`, 'Split p(x,z) = p(x|z)p(z) instead: reconstruction minus KL to the prior.'),
      s(t`\nabla_\phi\, \mathbb E_{\epsilon}\big[f(\mu_\phi + \sigma_\phi \odot \epsilon)\big] = \mathbb E_\epsilon\big[\nabla_\phi f(\mu_\phi + \sigma_\phi \odot \epsilon)\big]`, 'Reparameterize so the randomness no longer depends on φ: low-variance gradients.'),
      s(t`D_{\mathrm{KL}}\big(\mathcal N(\mu, \operatorname{diag}\sigma^2) \Vert \mathcal N(0, I)\big) = \tfrac12 \sum_j \big(\sigma_j^2 + \mu_j^2 - 1 - \ln\sigma_j^2\big)`, 'The KL term has a closed form (kl-gaussians).'),
    ],
    caveats: [
      'Blurriness has two causes: the Gaussian (L2) likelihood makes the decoder output the mean of plausible images, and samples from p(z) land in “prior holes” the aggregate posterior never covered.',
    ],
    calculators: ['kl-gaussians'],
    snippets: [
      {
        title: 'VAE loss',
        code: 'def vae_loss(x_hat, x, mu, logvar, beta=1.0):\n    recon = F.mse_loss(x_hat, x, reduction="sum")\n    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())\n    return recon + beta * kl\n',
      },
    ],
    related: ['kl-gaussians', 'entropy-cross-entropy-kl', 'bayes-rule'],
  },
  {
    id: 'diffusion-forward-process',
    area: 'generative',
    title: 'The diffusion forward (noising) process',
    summary:
      'Each forward step shrinks the signal by √α_t and adds Gaussian noise of variance 1 − α_t. Two independent Gaussian noises add their variances, so the steps collapse into one: x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε with ᾱ_t = Πα_s. The signal variance is preserved, and the SNR ᾱ/(1 − ᾱ) falls towards 0.',
    confidence: 'high',
    formulas: [
      f(t`q(x_t \mid x_{t-1}) = \mathcal N\big(\sqrt{\alpha_t}\, x_{t-1}, (1 - \alpha_t) I\big),\ \ \alpha_t = 1 - \beta_t`, 'q(x_t | x_{t−1}) = N(√α_t·x_{t−1}, (1 − α_t)I),  α_t = 1 − β_t'),
      f(t`q(x_t \mid x_0) = \mathcal N\big(\sqrt{\bar\alpha_t}\, x_0, (1 - \bar\alpha_t) I\big),\ \ \bar\alpha_t = \prod_{s=1}^{t} \alpha_s`, 'q(x_t | x₀) = N(√ᾱ_t·x₀, (1 − ᾱ_t)I),  ᾱ_t = Π_{s≤t} α_s'),
      f(t`\operatorname{SNR}(t) = \frac{\bar\alpha_t}{1 - \bar\alpha_t}`, 'SNR(t) = ᾱ_t/(1 − ᾱ_t)'),
      f(t`\mathcal L_{\text{simple}} = \mathbb E \big\lVert \epsilon - \epsilon_\theta\big(\sqrt{\bar\alpha_t}\, x_0 + \sqrt{1 - \bar\alpha_t}\, \epsilon,\ t\big) \big\rVert^2`, 'L_simple = E‖ε − ε_θ(√ᾱ_t·x₀ + √(1 − ᾱ_t)·ε, t)‖²'),
      f(t`\text{linear: } \beta_t \text{ from } 10^{-4} \text{ to } 0.02,\ T = 1000`, 'linear schedule: β_t from 1e−4 to 0.02, T = 1000 (Ho et al. 2020)'),
      f(t`\text{cosine: } \bar\alpha_t = \frac{f(t)}{f(0)},\ \ f(t) = \cos^2\Big(\frac{t/T + s}{1 + s}\cdot\frac{\pi}{2}\Big),\ s = 0.008`, 'cosine: ᾱ_t = f(t)/f(0),  f(t) = cos²((t/T + s)/(1 + s)·π/2),  s = 0.008'),
    ],
    derivation: [
      s(t`x_t = \sqrt{\alpha_t}\, x_{t-1} + \sqrt{1 - \alpha_t}\, \epsilon_{t-1}`, 'One forward step.'),
      s(t`x_t = \sqrt{\alpha_t \alpha_{t-1}}\, x_{t-2} + \sqrt{\alpha_t(1 - \alpha_{t-1})}\, \epsilon_{t-2} + \sqrt{1 - \alpha_t}\, \epsilon_{t-1}`, 'Substitute the previous step for x_{t−1}.'),
      s(t`\mathcal N\big(0, \alpha_t(1 - \alpha_{t-1}) I\big) + \mathcal N\big(0, (1 - \alpha_t) I\big) = \mathcal N\big(0, (\alpha_t - \alpha_t\alpha_{t-1} + 1 - \alpha_t) I\big)`, 'The two noises are independent zero-mean Gaussians, so their variances add.'),
      s(t`\alpha_t(1 - \alpha_{t-1}) + (1 - \alpha_t) = 1 - \alpha_t \alpha_{t-1}`, 'The variance simplifies.'),
      s(t`x_t = \sqrt{\alpha_t\alpha_{t-1}}\, x_{t-2} + \sqrt{1 - \alpha_t\alpha_{t-1}}\, \bar\epsilon`, 'Two steps collapse into one with the product of the alphas.'),
      s(t`x_t = \sqrt{\bar\alpha_t}\, x_0 + \sqrt{1 - \bar\alpha_t}\, \epsilon,\quad \bar\alpha_t = \prod_{s \le t} \alpha_s`, 'Induction over all t steps.'),
      s(t`\operatorname{Var}(x_t) = \bar\alpha_t \cdot 1 + (1 - \bar\alpha_t) = 1`, 'With unit-variance data the total variance is preserved at every step.'),
    ],
    calculators: ['diffusion-schedule'],
    simulations: ['diffusion-forward'],
    parameters: [
      intParam('t', t`t`, 'step', 500, 0, 100000),
      intParam('T', t`T`, 'number of steps', 1000, 1, 100000),
      realParam('beta1', t`\beta_1`, 'first β', 1e-4, 0, 1),
      realParam('betaT', t`\beta_T`, 'last β', 0.02, 0, 1),
    ],
    snippets: [
      {
        title: 'Forward noising q(x_t | x_0)',
        code: 'betas = torch.linspace(1e-4, 0.02, T)\nalpha_bar = torch.cumprod(1.0 - betas, dim=0)\n\ndef q_sample(x0, t, noise=None):\n    noise = torch.randn_like(x0) if noise is None else noise\n    ab = alpha_bar[t].view(-1, *([1] * (x0.dim() - 1)))\n    return ab.sqrt() * x0 + (1.0 - ab).sqrt() * noise\n',
      },
    ],
    related: ['variance-identities', 'vae-elbo'],
  },
];
