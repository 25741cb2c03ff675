// Area 2, attention-transformers: attention as a lookup, its scaling, costs, heads and position encodings.
import { formula as f, step as s, intParam, tex as t } from '../author';
import type { NoteTopicSource } from '../types';

export const attentionTopics: readonly NoteTopicSource[] = [
  {
    id: 'attention-soft-lookup',
    area: 'attention-transformers',
    title: 'Attention as a soft hash-map lookup',
    summary:
      'A query is compared with every key; the softmax of the similarities gives weights in [0, 1] that sum to 1, and the output is the weighted average of the values. Unlike a hard (argmax) lookup, every key and value receives gradient, and the receptive field is the whole sequence.',
    confidence: 'high',
    formulas: [
      f(t`\operatorname{Attn}(q, K, V) = \sum_{i=1}^{M} \alpha_i v_i,\quad \alpha_i = \frac{\exp(e_i)}{\sum_j \exp(e_j)},\quad e_i = \frac{q^\top k_i}{\sqrt{d_k}}`, 'Attn(q, K, V) = Σ_i α_i·v_i,  α_i = exp(e_i)/Σ_j exp(e_j),  e_i = qᵀk_i/√d_k'),
      f(t`\operatorname{Attn}(Q, K, V) = \operatorname{softmax}\Big(\frac{QK^\top}{\sqrt{d_k}}\Big) V`, 'Attn(Q, K, V) = softmax(QKᵀ/√d_k)·V'),
      f(t`\frac{\partial \alpha_i}{\partial e_j} = \alpha_i(\delta_{ij} - \alpha_j)`, '∂α_i/∂e_j = α_i(δ_ij − α_j)'),
      f(t`\text{hard: } v_{i^*},\ i^* = \operatorname*{arg\,max}_i e_i`, 'hard: v_{i*},  i* = argmax_i e_i  (zero gradient almost everywhere)'),
    ],
    derivation: [
      s(t`\text{lookup}(q) = v_{i^*},\quad i^* = \operatorname*{arg\,max}_i\, q^\top k_i`, 'A dictionary returns the value of the best-matching key.'),
      s(t`\mathbf 1\{i = i^*\} \;\to\; \alpha_i = \frac{e^{e_i}}{\sum_j e^{e_j}}`, 'Replace the one-hot argmax by a softmax: positive weights that sum to 1.'),
      s(t`\operatorname{Attn} = \sum_i \alpha_i v_i`, 'The result is a convex combination of the values.'),
      s(t`J = \operatorname{diag}(\alpha) - \alpha\alpha^\top \ne 0`, 'The softmax Jacobian (quotient rule) is non-zero, so gradients reach every key and value.'),
    ],
    simulations: ['softmax-saturation'],
    snippets: [
      {
        title: 'Reference attention',
        code: 'def attention(q, k, v, mask=None):\n    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))\n    if mask is not None:\n        scores = scores.masked_fill(~mask, float("-inf"))\n    return torch.softmax(scores, dim=-1) @ v\n',
      },
    ],
    related: ['attention-sqrt-d-scaling', 'attention-self-cross-causal', 'quotient-rule', 'seq2seq-rnn-limitations'],
  },
  {
    id: 'attention-self-cross-causal',
    area: 'attention-transformers',
    title: 'Self-, cross- and causal attention',
    summary:
      'In self-attention Q, K and V come from the same sequence; in cross-attention the queries come from the decoder and the keys and values from the encoder, giving an N×M score matrix. Decoder self-attention is made causal by adding −∞ to the scores of future positions before the softmax.',
    confidence: 'high',
    formulas: [
      f(t`\text{self: } Q = XW_Q,\ K = XW_K,\ V = XW_V`, 'self: Q = XW_Q, K = XW_K, V = XW_V'),
      f(t`\text{cross: } Q = YW_Q\ (N\times d),\ K = X_{\text{enc}}W_K,\ V = X_{\text{enc}}W_V\ (M\times d)`, 'cross: Q = YW_Q (N×d), K = X_enc·W_K, V = X_enc·W_V (M×d) ⇒ scores N×M'),
      f(t`\operatorname{softmax}\Big(\frac{QK^\top}{\sqrt{d_k}} + \mathcal M\Big)V,\quad \mathcal M_{ij} = \begin{cases} 0, & j \le i\\ -\infty, & j > i \end{cases}`, 'softmax(QKᵀ/√d_k + M)·V,  M_ij = 0 if j ≤ i, −∞ if j > i'),
    ],
    derivation: [
      s(t`e_{ij} + \mathcal M_{ij} = -\infty \ \ (j > i)`, 'Future positions get a score of −∞ before the softmax.'),
      s(t`\alpha_{ij} = \frac{e^{-\infty}}{\sum_{l \le i} e^{e_{il}}} = 0`, 'exp(−∞) = 0, so future keys get zero weight.'),
      s(t`\sum_{j \le i} \alpha_{ij} = 1`, 'The weights over the visible keys still sum to 1.'),
      s(t`\text{fill with } 0:\ e^{0} = 1 > 0`, 'Filling the scores with 0 instead leaves future keys with positive weight (check CC-20).'),
    ],
    simulations: ['softmax-saturation'],
    snippets: [
      {
        title: 'Causal mask',
        code: 'mask = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)\nscores = scores.masked_fill(mask, float("-inf"))\n',
      },
    ],
    related: ['attention-soft-lookup', 'attention-complexity'],
  },
  {
    id: 'attention-sqrt-d-scaling',
    area: 'attention-transformers',
    title: 'Why attention divides by √d',
    summary:
      'For independent zero-mean, unit-variance q and k, the dot product q·k is a sum of d independent unit-variance terms, so its variance is d. Large logits saturate the softmax into a hardmax whose Jacobian vanishes; dividing by s = √d brings the logit variance back to 1.',
    confidence: 'high',
    formulas: [
      f(t`\operatorname{Var}(q^\top k) = \sum_{i=1}^{d} \operatorname{Var}(q_i k_i) = d\,\sigma_q^2 \sigma_k^2\quad(\text{zero means})`, 'Var(qᵀk) = Σ_i Var(q_i k_i) = d·σ_q²·σ_k²   (zero means)'),
      f(t`\operatorname{Var}\Big(\frac{q^\top k}{s}\Big) = \frac{d}{s^2} = 1 \iff s = \sqrt d`, 'Var(qᵀk/s) = d/s² = 1 ⇔ s = √d'),
      f(t`\operatorname{Var}(q_i k_i) = \sigma_q^2\sigma_k^2 + \mu_q^2\sigma_k^2 + \mu_k^2\sigma_q^2`, 'Var(q_i k_i) = σ_q²σ_k² + μ_q²σ_k² + μ_k²σ_q²   (independent)'),
      f(t`J_{\text{softmax}} = \operatorname{diag}(\alpha) - \alpha\alpha^\top \xrightarrow{\ \alpha \to e_{i^*}\ } 0`, 'J_softmax = diag(α) − ααᵀ → 0 as α becomes one-hot'),
    ],
    derivation: [
      s(t`q^\top k = \sum_{i=1}^{d} q_i k_i`, 'Expand the dot product into d products.'),
      s(t`\operatorname{Var}\Big(\sum_i q_i k_i\Big) = \sum_i \operatorname{Var}(q_i k_i)`, 'The terms are independent across i, so their variances add.'),
      s(t`\mathbb E[q_i k_i] = \mathbb E[q_i]\,\mathbb E[k_i] = 0`, 'q_i and k_i are independent with zero mean.'),
      s(t`\operatorname{Var}(q_i k_i) = \mathbb E[q_i^2]\,\mathbb E[k_i^2] - 0^2 = 1`, 'Var = E[X²] − E[X]², and independence factors the second moment.'),
      s(t`\operatorname{Var}(q^\top k) = d,\quad \operatorname{std} = \sqrt d`, 'Summing d unit variances.'),
      s(t`|e| \gg 1 \Rightarrow \alpha \approx e_{i^*} \Rightarrow \operatorname{diag}(\alpha) - \alpha\alpha^\top \approx 0`, 'Large logits make the softmax one-hot and its gradient vanish.'),
      s(t`\operatorname{Var}(q^\top k / s) = d / s^2 = 1 \Rightarrow s = \sqrt d`, 'Choose the scale that restores unit variance.'),
    ],
    caveats: ['Var(q_i k_i) = Var(q_i)Var(k_i) holds only for zero-mean independent factors; the general formula adds μ_q²σ_k² + μ_k²σ_q².'],
    simulations: ['softmax-saturation'],
    related: ['attention-soft-lookup', 'variance-identities'],
  },
  {
    id: 'attention-complexity',
    area: 'attention-transformers',
    title: 'Cost of encoder self-attention, cross-attention and decoder self-attention',
    summary:
      'An (m×n)(n×p) matmul costs mnp multiply-accumulates. In the notes’ convention (each of h heads has full d×d projections) encoder self-attention costs 3Md² for the projections plus 2M²d for the scores and the weighted sum per head. Cross-attention mixes N queries with M keys; with a KV cache, generating token t costs 4d² + 2td.',
    confidence: 'high',
    formulas: [
      f(t`\text{per head: } \underbrace{3Md^2}_{\text{proj}} + \underbrace{M^2 d}_{QK^\top} + \underbrace{M^2 d}_{\alpha V} \Rightarrow O\big((Md + M^2)\,d\,h\big)`, 'per head: 3Md² (projections) + M²d (QKᵀ) + M²d (αV) ⇒ O((Md + M²)·d·h)', 'notes'),
      f(t`\text{cross: } Nd^2 + 2Md^2 + 2NMd \Rightarrow O\big((Nd + Md + NM)\,d\,h\big)`, 'cross: Nd² + 2Md² + 2NMd ⇒ O((Nd + Md + NM)·d·h)'),
      f(t`\text{decoder SA: } O\big((Nd + N^2)\,d\,h\big)`, 'decoder SA: O((Nd + N²)·d·h)'),
      f(t`\text{standard } (d_h = d/h,\ W_O):\ \text{SA} = 4Md^2 + 2M^2 d,\ \ \text{cross} = 2Nd^2 + 2Md^2 + 2NMd`, 'standard (d_h = d/h, with W_O): SA = 4Md² + 2M²d, cross = 2Nd² + 2Md² + 2NMd', 'standard'),
      f(t`\text{KV cache, token } t:\ 4d^2 + 2td \Rightarrow \textstyle\sum_{t \le N} \approx 4Nd^2 + N^2 d`, 'KV-cached decoding, token t: 4d² + 2td ⇒ Σ ≈ 4Nd² + N²d'),
    ],
    derivation: [
      s(t`(m\times n)(n\times p):\ mnp \text{ MACs}`, 'Each of the mp outputs is a length-n dot product.'),
      s(t`XW_Q, XW_K, XW_V:\ 3 \cdot M \cdot d \cdot d = 3Md^2`, 'Three projections of the M tokens.'),
      s(t`QK^\top:\ M \cdot d \cdot M = M^2 d,\qquad \alpha V:\ M \cdot M \cdot d = M^2 d`, 'Scores and the weighted sum of the values.'),
      s(t`h\,(3Md^2 + 2M^2 d) = O\big((Md + M^2)\,d\,h\big)`, 'In the notes’ convention every head repeats this work.'),
      s(t`\text{cross: } \underbrace{Nd^2}_{Q} + \underbrace{2Md^2}_{K,V} + \underbrace{2NMd}_{QK^\top,\ \alpha V}`, 'Queries come from the N decoder positions, keys and values from the M encoder positions.'),
      s(t`\text{standard: } 4Md^2 + 2M^2 d`, 'With d_h = d/h the heads split d, and W_O adds one more Md².'),
    ],
    caveats: ['The OCR reads the cross-attention cost as O((Md + Md + MN)dh); one Md must be Nd because the queries come from the decoder.'],
    calculators: ['attention-cost', 'kv-cache', 'lm-training-memory'],
    parameters: [intParam('M', t`M`, 'source (encoder) length', 512, 1), intParam('N', t`N`, 'target (decoder) length', 128, 1), intParam('d', t`d`, 'model width', 512, 1), intParam('h', t`h`, 'heads', 8, 1)],
    related: ['multi-query-attention', 'vit-attention-cost', 'attention-self-cross-causal'],
  },
  {
    id: 'vit-attention-cost',
    area: 'attention-transformers',
    title: 'ViT patch tokens and attention cost',
    summary:
      'A ViT cuts an H×W image into (H/P)(W/P) patches, each a token of width D. Attention then costs O(N²D) = O((HW/P²)²D): halving the patch size multiplies the token count by 4 and the attention cost by 16.',
    confidence: 'high',
    formulas: [
      f(t`N = \frac{H}{P}\cdot\frac{W}{P}\ (+1\ \text{CLS})`, 'N = (H/P)·(W/P)  (+1 CLS)'),
      f(t`O(N^2 D) = O\Big(\big(\tfrac{HW}{P^2}\big)^2 D\Big),\quad \text{projections / MLP } O(N D^2)`, 'attention O(N²D) = O((HW/P²)²·D),  projections/MLP O(N·D²)'),
      f(t`\text{patch embedding: } P^2 C D + D`, 'patch-embedding params: P²·C·D + D'),
    ],
    derivation: [
      s(t`N = \frac{224}{16}\cdot\frac{224}{16} = 14 \cdot 14 = 196`, 'Count the patches of a 224² image with P = 16.'),
      s(t`P = 8:\ N = 28 \cdot 28 = 784 = 4 \cdot 196`, 'Halving P quadruples the token count.'),
      s(t`\frac{784^2}{196^2} = 16`, 'Attention is quadratic in N (attention-complexity with M = N), so the cost grows 16×.'),
    ],
    calculators: ['vit-tokens', 'attention-cost'],
    parameters: [intParam('H', t`H`, 'image height', 224, 1), intParam('W', t`W`, 'image width', 224, 1), intParam('P', t`P`, 'patch size', 16, 1), intParam('D', t`D`, 'token width', 768, 1)],
    related: ['attention-complexity', 'conv-output-size'],
  },
  {
    id: 'multi-head-attention',
    area: 'attention-transformers',
    title: 'Multi-head attention',
    summary:
      'Multi-head attention runs h lookups over h tables: each head has its own projections of size d_h = d/h, the head outputs are concatenated and mixed by W_O. Heads often specialize to one primary feature. With d_h = d/h the parameter count 4d² (+4d bias) does not depend on h.',
    confidence: 'medium',
    formulas: [
      f(t`\text{head}_i = \operatorname{softmax}\Big(\frac{(QW_i^Q)(KW_i^K)^\top}{\sqrt{d_h}}\Big) V W_i^V`, 'head_i = softmax((QW_i^Q)(KW_i^K)ᵀ/√d_h)·VW_i^V'),
      f(t`\operatorname{MHA} = \operatorname{Concat}(\text{head}_1, \dots, \text{head}_h)\, W^O,\quad d_h = d/h`, 'MHA = Concat(head_1, …, head_h)·W^O,  d_h = d/h'),
      f(t`\#\text{params} = 4d^2 + 4d`, '#params = 4d² + 4d (independent of h when d_h = d/h)'),
    ],
    derivation: [
      s(t`(B, M, d) \to (B, M, h, d_h) \to (B, h, M, d_h)`, 'Split the model width into h heads and move the head axis forward.'),
      s(t`h \cdot d \cdot d_h \cdot 3 = 3d^2`, 'The Q, K, V projections of all heads together are three d×d matrices.'),
      s(t`(B, h, M, d_h) \to (B, M, h\,d_h) = (B, M, d)`, 'Concatenate the heads back.'),
      s(t`W^O \in \mathbb R^{d\times d}:\ 4d^2 \text{ in total}`, 'The output projection adds d², for 4d² weights and 4d biases.'),
    ],
    calculators: ['attention-cost'],
    parameters: [intParam('d', t`d`, 'embed_dim', 512, 1), intParam('h', t`h`, 'num_heads', 8, 1)],
    related: ['multi-query-attention', 'attention-complexity'],
  },
  {
    id: 'multi-query-attention',
    area: 'attention-transformers',
    title: 'Multi-query and grouped-query attention',
    summary:
      'Multi-query attention keeps h query heads but shares one key/value head across them, so XW_K and XW_V are computed once: fewer parameters, and above all an h× smaller KV cache, which speeds up memory-bound decoding. GQA interpolates with g key/value groups.',
    confidence: 'high',
    formulas: [
      f(t`\text{notes: } 2Md^2 h - 2Md^2 = 2Md^2(h-1)`, 'notes: 2Md²h − 2Md² = 2Md²(h − 1) MACs saved'),
      f(t`\text{standard } (d_h = d/h):\ 2Md^2 - 2Md\,d_h = 2Md^2\big(1 - \tfrac1h\big)`, 'standard (d_h = d/h): 2Md² − 2Md·d_h = 2Md²(1 − 1/h)'),
      f(t`\text{KV cache bytes} = 2 \cdot L \cdot M \cdot g \cdot d_h \cdot \text{bytes},\quad g = h\ (\text{MHA}),\ 1\ (\text{MQA})`, 'KV cache bytes = 2·L·M·g·d_h·bytes,  g = h (MHA), 1 (MQA), 1 < g < h (GQA)'),
    ],
    derivation: [
      s(t`\text{MHA (notes): } h \times (XW_K, XW_V) = 2Md^2 h`, 'Each of the h tables has its own d×d key and value projections.'),
      s(t`\text{MQA: } 2Md^2`, 'One shared table is projected once.'),
      s(t`2Md^2 h - 2Md^2 = 2Md^2(h-1)`, 'The difference is the saving the notes quote.'),
      s(t`\frac{2LMh\,d_h}{2LM\,d_h} = h`, 'The KV cache stores g heads instead of h, an h× reduction for MQA.'),
    ],
    caveats: ['Quality is slightly lower than MHA; GQA (Ainslie et al. 2023) recovers most of it with g groups.'],
    calculators: ['kv-cache', 'attention-cost'],
    parameters: [intParam('layers', t`L`, 'layers', 32, 1), intParam('M', t`M`, 'context length', 4096, 1), intParam('h', t`h`, 'query heads', 32, 1), intParam('g', t`g`, 'K/V heads (GQA groups)', 8, 1), intParam('dh', t`d_h`, 'head size', 128, 1), intParam('bytes', t`b`, 'bytes per element', 2, 1, 8)],
    related: ['multi-head-attention', 'attention-complexity'],
  },
  {
    id: 'positional-encoding-additive',
    area: 'attention-transformers',
    title: 'Absolute positional encodings and the cross-term decomposition',
    summary:
      'Adding a positional vector to each token keeps the width unchanged. The attention score of (x + p) with (x′ + p′) splits into a word/word term, a position/position term and two cross terms; random high-dimensional vectors are nearly orthogonal, so the cross terms tend to be small, and the sinusoidal pos/pos term depends only on the offset and peaks at nearby positions.',
    confidence: 'medium',
    formulas: [
      f(t`p_{m,2i} = \sin(m\,\omega_i),\quad p_{m,2i+1} = \cos(m\,\omega_i),\quad \omega_i = 10000^{-2i/d}`, 'p_{m,2i} = sin(m·ω_i),  p_{m,2i+1} = cos(m·ω_i),  ω_i = 10000^(−2i/d)'),
      f(t`p_m^\top p_n = \sum_{i=0}^{d/2-1} \cos\big((m-n)\,\omega_i\big)`, 'p_mᵀp_n = Σ_i cos((m − n)·ω_i)'),
      f(t`(x_m + p_m)^\top W (x_n + p_n) = x_m^\top W x_n + x_m^\top W p_n + p_m^\top W x_n + p_m^\top W p_n`, '(x_m + p_m)ᵀW(x_n + p_n) = x_mᵀWx_n + x_mᵀWp_n + p_mᵀWx_n + p_mᵀWp_n'),
      f(t`u, v \text{ random unit} \Rightarrow u^\top v \approx \mathcal N(0, 1/d)`, 'u, v random unit vectors ⇒ uᵀv ≈ N(0, 1/d)'),
    ],
    derivation: [
      s(t`(x_m + p_m)^\top W (x_n + p_n) = x_m^\top W x_n + x_m^\top W p_n + p_m^\top W x_n + p_m^\top W p_n`, 'Expand the bilinear form (W = W_Qᵀ W_K) into four terms.'),
      s(t`\sin a \sin b + \cos a \cos b = \cos(a - b)`, 'The angle-difference identity pairs each sine and cosine coordinate.'),
      s(t`p_m^\top p_n = \sum_i \cos\big((m-n)\omega_i\big)`, 'So the pos/pos term is a function of m − n only, maximal (d/2) at m = n.'),
      s(t`\mathbb E[u^\top v] = 0,\quad \operatorname{Var}(u^\top v) = 1/d`, 'The cosine of random high-dimensional vectors concentrates at 0 with std 1/√d.'),
    ],
    caveats: [
      'The pos/pos term decays with |m − n| but not monotonically: it ripples.',
      'With learned projections the cross terms are xᵀWp; "≈ 0" is a near-orthogonality heuristic, not an identity.',
    ],
    related: ['relative-position-bias', 'rope'],
  },
  {
    id: 'relative-position-bias',
    area: 'attention-transformers',
    title: 'Relative position bias',
    summary:
      'Each head adds a bias that depends only on the offset i − j to the logit q_i·k_j: learned per distance bucket in T5, a fixed linear penalty in ALiBi. Adding b before the softmax multiplies the weight by e^b and renormalizes, so nearby positions can be favoured. Unlike RoPE it adds to the logits rather than rotating q and k.',
    confidence: 'medium',
    formulas: [
      f(t`e^{(h)}_{ij} = \frac{q_i^\top k_j}{\sqrt{d_k}} + b^{(h)}_{\operatorname{bucket}(i-j)}\quad(\text{T5})`, 'e_ij = q_iᵀk_j/√d_k + b_bucket(i−j)   (T5, learned)'),
      f(t`e^{(h)}_{ij} = \frac{q_i^\top k_j}{\sqrt{d_k}} - m_h |i - j|,\quad m_h = 2^{-8h/H}\quad(\text{ALiBi})`, 'e_ij = q_iᵀk_j/√d_k − m_h·|i − j|,  m_h = 2^(−8h/H)   (ALiBi, fixed)'),
      f(t`e_{ij} = \frac{q_i^\top \big(k_j + a^K_{\operatorname{clip}(j-i)}\big)}{\sqrt{d_k}}\quad(\text{Shaw et al.})`, 'e_ij = q_iᵀ(k_j + a^K_clip(j−i))/√d_k   (Shaw et al. 2018)'),
    ],
    derivation: [
      s(t`\alpha_{ij} = \frac{e^{e_{ij} + b_{i-j}}}{\sum_l e^{e_{il} + b_{i-l}}} = \frac{e^{b_{i-j}} e^{e_{ij}}}{\sum_l e^{b_{i-l}} e^{e_{il}}}`, 'A bias before the softmax multiplies each weight by e^b and renormalizes.'),
      s(t`b_{i-j} = -m_h |i - j| \Rightarrow e^{b_{i-j}} = e^{-m_h |i - j|}`, 'ALiBi’s linear penalty becomes an exponential decay of the weight with distance.'),
      s(t`m_h = 2^{-8h/H}:\ H = 8 \Rightarrow m = \tfrac12, \tfrac14, \dots, \tfrac{1}{256}`, 'The geometric slopes give each head its own range, from very local to nearly global.'),
    ],
    related: ['positional-encoding-additive', 'rope'],
  },
  {
    id: 'rope',
    area: 'attention-transformers',
    title: 'Rotary position embedding (RoPE)',
    summary:
      'RoPE rotates each pair of coordinates of q and k (after the projection) by an angle proportional to the position. Rotations preserve norms, and the phases of the query and the key combine into e^{i(m−n)θ}, so the score depends only on the relative position. It has no learnable parameters and never touches v.',
    confidence: 'high',
    formulas: [
      f(t`\tilde q_j = q_{2j-1} + i\,q_{2j},\quad \operatorname{RoPE}(q, m)_j = \tilde q_j\, e^{i m \theta_j},\quad \theta_j = 10000^{-2(j-1)/d}`, 'q̃_j = q_{2j−1} + i·q_{2j},  RoPE(q, m)_j = q̃_j·e^(i·m·θ_j),  θ_j = 10000^(−2(j−1)/d)'),
      f(t`\big\langle \operatorname{RoPE}(q, m), \operatorname{RoPE}(k, n) \big\rangle = \operatorname{Re} \sum_{j=1}^{d/2} \tilde q_j\, \overline{\tilde k_j}\, e^{i(m-n)\theta_j}`, '⟨RoPE(q, m), RoPE(k, n)⟩ = Re Σ_j q̃_j·conj(k̃_j)·e^(i(m−n)θ_j)'),
      f(t`(R_m q)^\top (R_n k) = q^\top R_{n-m} k,\quad \lVert R_m q \rVert = \lVert q \rVert`, '(R_m q)ᵀ(R_n k) = qᵀR_{n−m}k,  ‖R_m q‖ = ‖q‖'),
    ],
    derivation: [
      s(t`\tilde q_j = q_{2j-1} + i\,q_{2j},\ \ j = 1, \dots, d/2`, 'Pair up the coordinates into complex numbers.'),
      s(t`\tilde q_j \mapsto \tilde q_j e^{i m \theta_j},\quad |e^{i m \theta_j}| = 1`, 'Multiplying by a unit phasor is a rotation, which preserves the norm.'),
      s(t`\langle a, b \rangle_{\mathbb R^2} = \operatorname{Re}(\tilde a\, \overline{\tilde b})`, 'The real inner product of two pairs is the real part of one times the conjugate of the other.'),
      s(t`\tilde q_j e^{i m \theta_j}\, \overline{\tilde k_j e^{i n \theta_j}} = \tilde q_j \overline{\tilde k_j}\, e^{i(m-n)\theta_j}`, 'The two phases combine into the offset m − n.'),
      s(t`R_m^\top R_n = R_{n-m}`, 'In matrix form: rotations compose by adding angles, so the score depends only on n − m.'),
    ],
    caveats: [
      'RoPE is applied to q and k only, never to v (check CC-23).',
      'The rotate_half layout pairs dimension j with j + d/2; it is equivalent up to a permutation, but weights trained with one layout do not work with the other.',
    ],
    snippets: [
      {
        title: 'RoPE (complex form)',
        code: 'def rope(x, base=10000.0):\n    # x: (..., T, d) with d even; pairs (2j, 2j+1) rotate by t * theta_j\n    t, d = x.shape[-2], x.shape[-1]\n    theta = base ** (-torch.arange(0, d, 2, dtype=torch.float32) / d)\n    angles = torch.outer(torch.arange(t, dtype=torch.float32), theta)\n    z = torch.view_as_complex(x.float().reshape(*x.shape[:-1], d // 2, 2))\n    z = z * torch.polar(torch.ones_like(angles), angles)\n    return torch.view_as_real(z).reshape(x.shape).type_as(x)\n',
      },
    ],
    related: ['positional-encoding-additive', 'relative-position-bias'],
  },
];
