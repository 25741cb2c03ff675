// Area 6, optimization: gradient descent on least squares, momentum, Adam, schedules, backprop and debugging.
import { formula as f, step as s, intParam, realParam, tex as t } from '../author';
import type { NoteTopicSource } from '../types';

export const optimizationTopics: readonly NoteTopicSource[] = [
  {
    id: 'gd-least-squares-convergence',
    area: 'optimization',
    title: 'Gradient descent on least squares',
    summary:
      'On ½‖Ax − b‖² the GD error evolves by the fixed matrix I − ηAᵀA, so in each singular direction it is multiplied by 1 − ησᵢ² per step. GD converges iff η < 2/σ²_max, is monotone iff η ≤ 1/σ²_max, and is fastest at η* = 2/(σ²_max + σ²_min) with rate (κ − 1)/(κ + 1): the largest singular value caps the step, the smallest sets the speed.',
    confidence: 'high',
    formulas: [
      f(t`x_{t+1} = x_t - \eta A^\top (A x_t - b),\quad x^* = (A^\top A)^{-1} A^\top b`, 'x_{t+1} = x_t − η·Aᵀ(Ax_t − b),  x* = (AᵀA)⁻¹Aᵀb'),
      f(t`e_t = (I - \eta A^\top A)^t e_0 \Rightarrow e_{t,i} = (1 - \eta\sigma_i^2)^t e_{0,i}`, 'e_t = (I − ηAᵀA)^t·e₀ ⇒ e_{t,i} = (1 − ησ_i²)^t·e_{0,i}'),
      f(t`\text{converges} \iff 0 < \eta < \frac{2}{\sigma_{\max}^2},\qquad \text{monotone} \iff \eta \le \frac{1}{\sigma_{\max}^2}`, 'converges ⇔ 0 < η < 2/σ²_max;  no oscillation ⇔ η ≤ 1/σ²_max'),
      f(t`\eta^* = \frac{2}{\sigma_{\max}^2 + \sigma_{\min}^2},\quad \rho^* = \frac{\sigma_{\max}^2 - \sigma_{\min}^2}{\sigma_{\max}^2 + \sigma_{\min}^2} = \frac{\kappa - 1}{\kappa + 1}`, 'η* = 2/(σ²_max + σ²_min),  ρ* = (σ²_max − σ²_min)/(σ²_max + σ²_min) = (κ − 1)/(κ + 1)'),
      f(t`t \ge \frac{\ln(1/\varepsilon)}{\ln(1/\rho)} \approx \frac{\kappa + 1}{2}\ln\frac{1}{\varepsilon}`, 'iterations to shrink the error by ε: t ≥ ln(1/ε)/ln(1/ρ) ≈ (κ + 1)/2·ln(1/ε)'),
    ],
    derivation: [
      s(t`\nabla_x \tfrac12 \lVert Ax - b \rVert^2 = A^\top (Ax - b)`, 'Gradient of the least-squares loss.'),
      s(t`x_{t+1} - x^* = (I - \eta A^\top A)(x_t - x^*)`, 'Subtract the fixed point, which satisfies the normal equations AᵀAx* = Aᵀb.'),
      s(t`A^\top A = V \Sigma^2 V^\top \Rightarrow \tilde e_{t+1,i} = (1 - \eta\sigma_i^2)\, \tilde e_{t,i}`, 'In the eigenbasis the recursion splits into independent scalar ones.'),
      s(t`|1 - \eta\sigma_i^2| < 1\ \forall i \iff 0 < \eta < \frac{2}{\sigma_{\max}^2}`, 'Every factor must have magnitude below one; the largest σ binds first.'),
      s(t`1 - \eta\sigma_{\min}^2 = -(1 - \eta\sigma_{\max}^2) \Rightarrow \eta^* = \frac{2}{\sigma_{\max}^2 + \sigma_{\min}^2}`, 'The worst factor max(|1 − ησ²_min|, |1 − ησ²_max|) is smallest where the two are equal and opposite.'),
      s(t`\rho^* = 1 - \eta^*\sigma_{\min}^2 = \frac{\kappa - 1}{\kappa + 1}`, 'Substitute η* into the slowest factor.'),
      s(t`\sigma_{\max}^2 = 10,\ \sigma_{\min}^2 = 1:\ \eta^* = \tfrac{2}{11},\ \rho^* = \tfrac{9}{11}`, 'Numerical check.'),
    ],
    caveats: [
      'κ here is the condition number of AᵀA; with κ_A = σ_max/σ_min the rate is (κ_A² − 1)/(κ_A² + 1).',
      'If A is rank-deficient, the error components in null(A) never change; from x₀ = 0 GD converges to the minimum-norm solution A⁺b.',
    ],
    calculators: ['gd-step'],
    simulations: ['gd-momentum-adam'],
    parameters: [realParam('lmax', t`\sigma_{\max}^2`, 'largest eigenvalue of AᵀA', 10, 1e-12), realParam('lmin', t`\sigma_{\min}^2`, 'smallest eigenvalue of AᵀA', 1, 1e-12)],
    related: ['momentum', 'adam', 'normalization-motivation'],
  },
  {
    id: 'momentum',
    area: 'optimization',
    title: 'Momentum (heavy ball) and Nesterov',
    summary:
      'Momentum steps along an exponential moving average of past gradients. The averaging damps the oscillations along large-σ directions — in effect lowering the step there — which allows a larger learning rate. The rate improves from (κ − 1)/(κ + 1) to (√κ − 1)/(√κ + 1), still set by σ_max/σ_min. The notes’ β weights the new gradient: PyTorch’s momentum is μ = 1 − β.',
    confidence: 'high',
    formulas: [
      f(t`\text{notes: } a_{t+1} = (1 - \beta)a_t + \beta g_t,\ \ w_{t+1} = w_t - \eta a_{t+1}`, 'notes: a_{t+1} = (1 − β)·a_t + β·g_t,  w_{t+1} = w_t − η·a_{t+1}', 'notes'),
      f(t`\text{PyTorch: } v \leftarrow \mu v + g,\ \ w \leftarrow w - \text{lr}\, v,\quad \mu = 1 - \beta,\ \text{lr} = \eta\beta`, 'PyTorch SGD: v ← μ·v + g,  w ← w − lr·v,  with μ = 1 − β, lr = η·β', 'PyTorch'),
      f(t`\text{stable} \iff 0 < \alpha\lambda < 2(1 + \mu),\ \ 0 \le \mu < 1\quad(\alpha = \eta\beta)`, 'stable ⇔ 0 < α·λ < 2(1 + μ), 0 ≤ μ < 1   (α = η·β)'),
      f(t`\alpha^* = \frac{4}{(\sqrt{\lambda_{\max}} + \sqrt{\lambda_{\min}})^2},\quad \mu^* = \Big(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Big)^2,\quad \rho^* = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}`, 'α* = 4/(√λ_max + √λ_min)²,  μ* = ((√κ − 1)/(√κ + 1))²,  ρ* = (√κ − 1)/(√κ + 1)'),
      f(t`\text{Nesterov: } a_{t+1} = (1 - \beta)a_t + \beta \nabla L\big(w_t - \eta(1 - \beta)a_t\big)`, 'Nesterov: a_{t+1} = (1 − β)·a_t + β·∇L(w_t − η(1 − β)·a_t)'),
      f(t`\frac{\beta}{1 - (1 - \beta)z^{-1}},\quad |H(-1)| = \frac{\beta}{2 - \beta}`, 'EMA as a low-pass filter β/(1 − (1 − β)z⁻¹); gain at z = −1: β/(2 − β)'),
    ],
    derivation: [
      s(t`e_{t+1} = (1 + \mu - \alpha\lambda)\, e_t - \mu\, e_{t-1}`, 'In one eigendirection (curvature λ) the heavy-ball update is a two-state linear recurrence.'),
      s(t`r^2 - (1 + \mu - \alpha\lambda)\, r + \mu = 0`, 'Its characteristic polynomial.'),
      s(t`|r_{1,2}| < 1 \iff 0 \le \mu < 1,\ \ 0 < \alpha\lambda < 2(1 + \mu)`, 'Jury/Schur conditions for both roots inside the unit circle.'),
      s(t`|r| = \sqrt{\mu} \text{ when the roots are complex}`, 'For complex roots the product of the roots is μ, so both have modulus √μ.'),
      s(t`(1 \pm \sqrt{\mu})^2 = \alpha\lambda_{\min,\max} \Rightarrow \mu^* = \Big(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Big)^2,\ \rho^* = \sqrt{\mu^*}`, 'Place λ_min and λ_max at the edges of the complex-root region to equalize the worst-case |r|.'),
      s(t`H(z) = \frac{\beta}{1 - (1 - \beta) z^{-1}},\ \ |H(-1)| = \frac{\beta}{2 - \beta}`, 'Filter view: gradient components that alternate in sign are attenuated (rnn-as-iir-filter).'),
    ],
    caveats: ['Momentum improves the dependence from κ to √κ (Polyak), but the rate is still governed by σ_max/σ_min.'],
    calculators: ['gd-step'],
    simulations: ['gd-momentum-adam'],
    related: ['gd-least-squares-convergence', 'adam', 'rnn-as-iir-filter'],
  },
  {
    id: 'adam',
    area: 'optimization',
    title: 'Adam and AdamW',
    summary:
      'Adam treats each coordinate as its own direction with its own step: it divides an EMA of the gradient by the root of an EMA of the squared gradient, so big and small gradients take steps of about η — a cheap stand-in for second-order scaling. Both EMAs start at 0, so they are divided by 1 − βᵗ. In the standard convention β₂ = 0.999 > β₁ = 0.9 (the notes write it with 1 − β). AdamW decays the weights outside the adaptive scaling.',
    confidence: 'high',
    formulas: [
      f(t`m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t,\quad v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2`, 'm_t = β₁·m_{t−1} + (1 − β₁)·g_t,  v_t = β₂·v_{t−1} + (1 − β₂)·g_t²', 'standard'),
      f(t`\hat m_t = \frac{m_t}{1 - \beta_1^t},\quad \hat v_t = \frac{v_t}{1 - \beta_2^t},\quad w_t = w_{t-1} - \eta \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}`, 'm̂_t = m_t/(1 − β₁ᵗ),  v̂_t = v_t/(1 − β₂ᵗ),  w_t = w_{t−1} − η·m̂_t/(√v̂_t + ε)'),
      f(t`m_t = (1 - \beta_1)\sum_{s=1}^{t} \beta_1^{t-s} g_s \Rightarrow \mathbb E[m_t] = (1 - \beta_1^t)\, \mathbb E[g]`, 'm_t = (1 − β₁)·Σ_s β₁^(t−s)·g_s ⇒ E[m_t] = (1 − β₁ᵗ)·E[g]'),
      f(t`\text{AdamW: } w_t = w_{t-1} - \eta\Big(\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon} + \lambda w_{t-1}\Big)`, 'AdamW: w_t = w_{t−1} − η(m̂_t/(√v̂_t + ε) + λ·w_{t−1})'),
      f(t`\text{defaults: } \eta = 10^{-3},\ \beta = (0.9, 0.999),\ \epsilon = 10^{-8}`, 'defaults: η = 1e−3, β = (0.9, 0.999), ε = 1e−8'),
    ],
    derivation: [
      s(t`m_t = (1 - \beta_1)\sum_{s=1}^{t} \beta_1^{t-s} g_s`, 'Unroll the EMA from m₀ = 0 into a geometric sum.'),
      s(t`(1 - \beta_1)\sum_{s=1}^{t} \beta_1^{t-s} = 1 - \beta_1^t`, 'The weights form a finite geometric series.'),
      s(t`\hat m_t = \frac{m_t}{1 - \beta_1^t} \Rightarrow \mathbb E[\hat m_t] = \mathbb E[g]`, 'Dividing by the weight sum removes the shrinkage toward 0.'),
      s(t`t = 1:\ m = 0.1\,g,\ \sqrt v = \sqrt{0.001}\,|g| \approx 0.032\,|g| \Rightarrow \frac{m}{\sqrt v} \approx 3.2\,\operatorname{sign}(g)`, 'Without correction the first steps are about 3× too large.'),
      s(t`\frac{\hat m_t(c\, g)}{\sqrt{\hat v_t(c\, g)}} = \frac{\hat m_t(g)}{\sqrt{\hat v_t(g)}}\quad (c > 0,\ \epsilon \to 0)`, 'The step is invariant to the gradient scale: a diagonal preconditioner.'),
    ],
    caveats: [
      'The notes’ β weights the new gradient: β^std = 1 − β^notes. “β₂ ≪ β₁” in the notes means β₂^std > β₁^std, a longer memory for v; the bias correction must use the standard β.',
    ],
    calculators: ['adam-bias'],
    simulations: ['gd-momentum-adam'],
    parameters: [intParam('t', t`t`, 'step', 1, 1, 1e9), realParam('beta1', t`\beta_1`, 'β₁ (standard)', 0.9, 0, 0.999999), realParam('beta2', t`\beta_2`, 'β₂ (standard)', 0.999, 0, 0.999999)],
    related: ['momentum', 'gd-least-squares-convergence', 'lr-schedule-decay'],
  },
  {
    id: 'lr-schedule-decay',
    area: 'optimization',
    title: 'Learning-rate decay',
    summary:
      'Late in training the noise from which batch was drawn dominates: SGD hovers around the optimum with a spread proportional to η. Decaying the learning rate averages that noise out over many batches. A constant learning rate is good, cosine decay is better. (The OCR header reads “Weight Decay”, but the content is learning-rate decay.)',
    confidence: 'medium',
    formulas: [
      f(t`\text{cosine: } \eta_t = \eta_{\min} + \tfrac12(\eta_{\max} - \eta_{\min})\Big(1 + \cos\frac{\pi t}{T}\Big)`, 'cosine: η_t = η_min + ½(η_max − η_min)(1 + cos(πt/T))'),
      f(t`\text{step: } \eta_t = \eta_0 \gamma^{\lfloor t/s \rfloor},\quad \text{warm-up: } \eta_t = \eta_{\max}\, t / T_w`, 'step: η_t = η₀·γ^⌊t/s⌋;  linear warm-up: η_t = η_max·t/T_w'),
      f(t`\mathbb E\big[(w - w^*)^2\big]_\infty = \frac{\eta\sigma_g^2}{\lambda(2 - \eta\lambda)} \approx \frac{\eta\sigma_g^2}{2\lambda}`, 'noise floor: E[(w − w*)²] = ησ_g²/(λ(2 − ηλ)) ≈ ησ_g²/(2λ)'),
      f(t`\text{weight decay: } w \leftarrow (1 - \eta\lambda) w - \eta \nabla L`, 'weight decay: w ← (1 − ηλ)·w − η·∇L  (= L2 penalty λ/2·‖w‖² for plain SGD)'),
    ],
    derivation: [
      s(t`e_{t+1} = (1 - \eta\lambda)\, e_t - \eta\, \xi_t,\quad \operatorname{Var}(\xi_t) = \sigma_g^2`, 'Noisy SGD on a 1-D quadratic of curvature λ, with independent gradient noise.'),
      s(t`V = (1 - \eta\lambda)^2 V + \eta^2 \sigma_g^2`, 'The stationary variance is a fixed point of the variance recursion.'),
      s(t`V = \frac{\eta^2\sigma_g^2}{1 - (1 - \eta\lambda)^2} = \frac{\eta\sigma_g^2}{\lambda(2 - \eta\lambda)}`, 'Solve; 1 − (1 − ηλ)² = ηλ(2 − ηλ).'),
      s(t`V \propto \eta \Rightarrow \eta_t \downarrow\ \Rightarrow V \downarrow`, 'The noise floor is proportional to η, so decaying η averages out the batch noise.'),
    ],
    related: ['adam', 'gd-least-squares-convergence'],
  },
  {
    id: 'backprop-two-layer-vector-calculus',
    area: 'optimization',
    title: 'Vector calculus for a two-layer net with a residual',
    summary:
      'For ŷ = σ(W₂ReLU(W₁x + b₁) + b₂ + x) with binary cross-entropy, the output error is simply ŷ − y. Each linear layer’s weight gradient is the outer product of its error and its input, ReLU multiplies the error by its 0/1 mask, and the residual adds an identity path to ∂L/∂x.',
    confidence: 'medium',
    formulas: [
      f(t`\delta_z = \hat y - y,\quad \frac{\partial L}{\partial W_2} = \delta_z h^\top,\quad \frac{\partial L}{\partial b_2} = \delta_z,\quad \delta_a = \big(W_2^\top \delta_z\big) \odot \mathbf 1\{a > 0\}`, 'δ_z = ŷ − y,  ∂L/∂W₂ = δ_z·hᵀ,  ∂L/∂b₂ = δ_z,  δ_a = (W₂ᵀδ_z) ⊙ 1{a > 0}'),
      f(t`\frac{\partial L}{\partial W_1} = \delta_a x^\top,\quad \frac{\partial L}{\partial b_1} = \delta_a,\quad \frac{\partial L}{\partial x} = W_1^\top \delta_a + \delta_z`, '∂L/∂W₁ = δ_a·xᵀ,  ∂L/∂b₁ = δ_a,  ∂L/∂x = W₁ᵀδ_a + δ_z (skip path)'),
      f(t`\text{Jacobian of the logit: } \frac{\partial z}{\partial b_1} = W_2 \operatorname{diag}\big(\mathbf 1\{a > 0\}\big) \in \mathbb R^{d_z \times d_h}`, 'without the loss and the sigmoid, the Jacobian of the logit z w.r.t. b₁: ∂z/∂b₁ = W₂·diag(1{a > 0}), a d_z × d_h matrix'),
    ],
    derivation: [
      s(t`a = W_1 x + b_1,\ h = \mathrm{ReLU}(a),\ z = W_2 h + b_2 + x,\ \hat y = \sigma(z)`, 'Name the intermediate values.'),
      s(t`\frac{\partial L}{\partial z} = \hat y - y`, 'Sigmoid and BCE combine: σ′ cancels against the log (sigmoid-derivative).'),
      s(t`\frac{\partial L}{\partial W_2} = \delta_z h^\top,\quad \frac{\partial L}{\partial b_2} = \delta_z`, 'For a linear layer the weight gradient is the outer product of the error and the layer input.'),
      s(t`\delta_a = \big(W_2^\top \delta_z\big) \odot \mathbf 1\{a > 0\}`, 'Back through W₂, then through ReLU by its mask.'),
      s(t`\frac{\partial L}{\partial W_1} = \delta_a x^\top,\quad \frac{\partial L}{\partial b_1} = \delta_a`, 'Same outer-product rule one layer down.'),
      s(t`\frac{\partial L}{\partial x} = W_1^\top \delta_a + \delta_z`, 'x reaches z through the block and directly through the residual, whose Jacobian is I.'),
    ],
    snippets: [
      {
        title: 'gradcheck harness',
        code: 'x = torch.randn(4, dtype=torch.double, requires_grad=True)\nW1 = torch.randn(8, 4, dtype=torch.double, requires_grad=True)\nW2 = torch.randn(4, 8, dtype=torch.double, requires_grad=True)\n\ndef f(x, W1, W2):\n    return torch.sigmoid(W2 @ torch.relu(W1 @ x) + x)\n\nassert torch.autograd.gradcheck(f, (x, W1, W2))\n',
      },
    ],
    related: ['residual-connections', 'sigmoid-derivative', 'training-loop-debugging'],
  },
  {
    id: 'training-loop-debugging',
    area: 'optimization',
    title: 'Training-loop debugging',
    summary:
      'If a bigger network trains worse than a smaller one, the problem is optimization, not capacity: the gradients are too small. Use He/Xavier (non-zero) init, cross-entropy instead of MSE on saturating outputs, skip connections and normalization layers. The canonical loop zeroes the gradients, runs forward and backward, steps, and logs loss.item() per batch and its mean per epoch.',
    confidence: 'high',
    formulas: [
      f(t`\text{sigmoid + MSE: } \frac{\partial L}{\partial z} = (\hat y - y)\, \hat y (1 - \hat y),\qquad \text{CE: } \frac{\partial L}{\partial z} = \hat y - y`, 'sigmoid + MSE: ∂L/∂z = (ŷ − y)·ŷ(1 − ŷ);  CE: ∂L/∂z = ŷ − y'),
      f(t`\text{loss at init} \approx \ln K`, 'K-class CE at init (small logits) ≈ ln K'),
      f(t`\lVert \partial L / \partial h_1 \rVert \lesssim \prod_l \lVert W_l \rVert \max |\phi'|`, '‖∂L/∂h₁‖ ≲ Π_l ‖W_l‖·max|φ′|  (vanishing with depth)'),
    ],
    derivation: [
      s(t`L_{\text{MSE}} = \tfrac12(\sigma(z) - y)^2 \Rightarrow \frac{\partial L}{\partial z} = (\hat y - y)\, \hat y(1 - \hat y)`, 'Chain rule through the sigmoid.'),
      s(t`\hat y \to 0 \text{ or } 1 \Rightarrow \hat y(1 - \hat y) \to 0`, 'A saturated, wrong output gets almost no gradient under MSE.'),
      s(t`L_{\text{CE}} = -y\ln\hat y - (1 - y)\ln(1 - \hat y) \Rightarrow \frac{\partial L}{\partial z} = \hat y - y`, 'Cross-entropy cancels the sigmoid’s derivative, so the error signal stays large.'),
      s(t`z_k \approx 0 \Rightarrow p_k = \tfrac1K \Rightarrow L = \ln K`, 'Sanity check: with small logits the initial loss is ln K.'),
    ],
    caveats: ['Standard additions: overfit a single batch first, check the initial loss ≈ ln K, log per-layer gradient norms, run an LR range test.'],
    simulations: ['activation-variance'],
    snippets: [
      {
        title: 'Training loop',
        code: 'training_loss, val_loss = [], []\nfor epoch in range(epochs):\n    model.train()\n    batch_losses = []\n    for x, y in train_loader:\n        optimizer.zero_grad(set_to_none=True)\n        loss = criterion(model(x), y)\n        loss.backward()\n        optimizer.step()\n        batch_losses.append(loss.item())\n    training_loss.append(np.mean(batch_losses))\n\n    model.eval()\n    with torch.no_grad():\n        val_loss.append(np.mean([criterion(model(x), y).item() for x, y in val_loader]))\n',
      },
    ],
    related: ['weight-init-xavier-he', 'residual-connections', 'sigmoid-derivative', 'init-failure-modes'],
  },
];
