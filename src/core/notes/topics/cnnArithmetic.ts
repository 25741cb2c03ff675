// Area 4, cnn-arithmetic: output sizes, parameter counts, receptive fields and the architecture rules of thumb.
import { formula as f, step as s, intParam, tex as t } from '../author';
import type { NoteTopicSource } from '../types';

export const cnnArithmeticTopics: readonly NoteTopicSource[] = [
  {
    id: 'conv-output-size',
    area: 'cnn-arithmetic',
    title: 'Convolution and pooling output size',
    summary:
      'A C×H×W input convolved with F filters of size C×K×K gives F×H′×W′. Along each axis the window starts at 0, S, 2S, … and must fit inside the padded input, so the count of positions is a floor division plus one; with dilation the kernel spans D(K−1)+1 inputs. Pooling uses the same formula (ceil_mode rounds up, then drops a window that would start in the right padding).',
    confidence: 'high',
    formulas: [
      f(t`W' = \left\lfloor \frac{W - K + 2P}{S} \right\rfloor + 1`, "W′ = ⌊(W − K + 2P)/S⌋ + 1", 'notes'),
      f(t`K_{\text{eff}} = D(K-1)+1,\qquad W' = \left\lfloor \frac{W + 2P - D(K-1) - 1}{S} \right\rfloor + 1`, 'K_eff = D(K − 1) + 1,  W′ = ⌊(W + 2P − D(K − 1) − 1)/S⌋ + 1', 'PyTorch, with dilation'),
      f(t`\text{same }(S=1,\ K\text{ odd}):\ P = \tfrac{D(K-1)}{2}`, "same (S = 1, K odd): P = D(K − 1)/2"),
      f(t`\text{transposed: } W' = (W-1)S - 2P + D(K-1) + P_{\text{out}} + 1`, 'transposed: W′ = (W − 1)S − 2P + D(K − 1) + P_out + 1'),
      f(t`\texttt{ceil\_mode}:\ W' = \left\lceil \frac{W + 2P - D(K-1) - 1}{S} \right\rceil + 1,\ \text{minus 1 if } (W'-1)S \ge W + P`, 'ceil_mode: W′ = ⌈(W + 2P − D(K − 1) − 1)/S⌉ + 1, minus 1 if (W′ − 1)S ≥ W + P'),
    ],
    derivation: [
      s(t`W_{\text{pad}} = W + 2P`, 'Padding adds P positions on each side of the axis.'),
      s(t`K_{\text{eff}} = D(K-1) + 1`, 'A dilated kernel touches K inputs spaced D apart, so it spans D(K−1)+1 positions.'),
      s(t`\text{starts } 0, S, 2S, \dots, mS \quad\text{with}\quad mS + K_{\text{eff}} \le W + 2P`, 'The window slides by S and its last position must still fit inside the padded input.'),
      s(t`m_{\max} = \left\lfloor \frac{W + 2P - K_{\text{eff}}}{S} \right\rfloor`, 'The largest integer m satisfying the inequality is a floor division.'),
      s(t`W' = m_{\max} + 1 = \left\lfloor \frac{W + 2P - D(K-1) - 1}{S} \right\rfloor + 1`, 'Counting the start 0 as well adds one.'),
      s(
        t`S \nmid (W + 2P - K_{\text{eff}}) \Rightarrow \text{the last } (W + 2P - K_{\text{eff}}) \bmod S \text{ positions are never read};\quad S > K_{\text{eff}} \Rightarrow \text{the } S - K_{\text{eff}} \text{ between windows are skipped}`,
        'The floor silently drops the trailing rows and columns (check CC-51). With a stride larger than the dilated kernel the windows do not even touch: the S − K_eff inputs between consecutive windows are never read either.',
      ),
    ],
    caveats: [
      'PyTorch pooling with ceil_mode=True drops the last window when it would start inside the right padding: MaxPool1d(2, stride=3, padding=1, ceil_mode=True) on length 5 gives 2, not 3.',
    ],
    calculators: ['conv-out', 'pool-out', 'convtranspose-out', 'conv-padding'],
    simulations: ['receptive-field'],
    parameters: [
      intParam('L', t`W`, 'input size', 224, 1),
      intParam('K', t`K`, 'kernel size', 7, 1),
      intParam('S', t`S`, 'stride', 2, 1),
      intParam('P', t`P`, 'padding', 3, 0),
      intParam('D', t`D`, 'dilation', 1, 1),
    ],
    snippets: [
      {
        title: 'Output size helper',
        code: 'def conv_out(size, kernel, stride=1, padding=0, dilation=1):\n    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1\n',
      },
    ],
    related: ['receptive-field', 'conv-parameter-count', 'unet'],
  },
  {
    id: 'conv-parameter-count',
    area: 'cnn-arithmetic',
    title: 'Parameters and MACs of a convolution',
    summary:
      'Each of the F filters holds C_in/g · K_h · K_w weights plus one bias, independent of the image size. Every output position costs one filter’s worth of multiply-accumulates, so MACs scale with H′W′. A fully connected layer on the same maps would need (CHW)(FH′W′) weights.',
    confidence: 'high',
    formulas: [
      f(t`\#\text{params} = K_h K_w \frac{C_{\text{in}}}{g} F + F`, '#params = K_h·K_w·(C_in/g)·F + F'),
      f(t`\text{MACs} = H' W' \cdot K_h K_w \frac{C_{\text{in}}}{g} \cdot F`, "MACs = H′W′ · K_h·K_w·(C_in/g) · F"),
      f(t`\text{FC on the same maps: } (C H W)(F H' W')`, "FC on the same maps: (C·H·W)·(F·H′·W′)"),
    ],
    derivation: [
      s(t`\text{one filter: } \frac{C_{\text{in}}}{g} \times K_h \times K_w \text{ weights} + 1 \text{ bias}`, 'A filter sees every input channel of its group at every kernel offset.'),
      s(t`\#\text{params} = F\Big(K_h K_w \frac{C_{\text{in}}}{g} + 1\Big)`, 'There are F filters, one per output channel.'),
      s(t`\text{MACs per output position} = K_h K_w \frac{C_{\text{in}}}{g} F`, 'Each output value is one dot product of a filter with an input patch.'),
      s(t`\text{MACs} = H' W' K_h K_w \frac{C_{\text{in}}}{g} F`, 'The same weights are reused at all H′W′ output positions.'),
    ],
    calculators: ['conv-params'],
    parameters: [
      intParam('Cin', t`C_{\text{in}}`, 'input channels', 64, 1),
      intParam('Cout', t`F`, 'output channels', 128, 1),
      intParam('K', t`K`, 'kernel size', 3, 1),
      intParam('groups', t`g`, 'groups', 1, 1),
      intParam('bias', t`b`, 'bias (1 = yes, 0 = no)', 1, 0, 1),
    ],
    related: ['conv-output-size', 'stacked-3x3-vs-7x7', 'depthwise-separable-conv', 'conv-weight-sharing'],
  },
  {
    id: 'receptive-field',
    area: 'cnn-arithmetic',
    title: 'Receptive field of stacked convolutions',
    summary:
      'One K-wide layer sees K inputs; L stride-1 layers see L(K−1)+1. Strides multiply the distance between neighbouring units (the jump), so every later layer adds (K−1)·jump inputs and the field grows faster. The notes’ backward recurrence r = S·r′ + K − S gives the same number.',
    confidence: 'high',
    formulas: [
      f(t`\text{stride 1: } r = L(K-1) + 1`, 'stride 1: r = L(K − 1) + 1'),
      f(t`r_l = r_{l-1} + (k_l - 1)\, j_{l-1},\quad j_l = j_{l-1} s_l,\quad r_0 = j_0 = 1`, 'r_l = r_{l−1} + (k_l − 1)·j_{l−1},  j_l = j_{l−1}·s_l,  r₀ = j₀ = 1'),
      f(t`r_L = 1 + \sum_{l=1}^{L} (k_l - 1) \prod_{i<l} s_i`, 'r_L = 1 + Σ_l (k_l − 1)·Π_{i<l} s_i'),
      f(t`\text{backward (notes): } r_{l-1} = s_l r_l + (k_l - s_l),\ r_L = 1`, 'backward (notes): r_{l−1} = s_l·r_l + k_l − s_l,  r_L = 1'),
      f(t`\text{dilation: } k_l \to d_l (k_l - 1) + 1`, 'dilation: k_l → d_l(k_l − 1) + 1'),
    ],
    derivation: [
      s(t`r_L = 1`, 'Start from a single unit of the last layer.'),
      s(t`r_{L-1} = k_L`, 'That unit reads k_L neighbouring positions of the layer below.'),
      s(t`r_{l-1} = s_l (r_l - 1) + k_l = s_l r_l + k_l - s_l`, 'r positions spaced s apart span s(r−1) inputs, and the last window adds k.'),
      s(t`r_0 = 1 + \sum_{l=1}^{L} (k_l - 1) \prod_{i<l} s_i`, 'Unrolling the recurrence: layer l adds (k_l−1) times the product of the earlier strides (the jump).'),
      s(t`(3,1),(3,2),(5,1),(3,2),(7,3):\ 1 + 2\cdot 1 + 2\cdot 1 + 4\cdot 2 + 2\cdot 2 + 6\cdot 4 = 41`, 'Worked check: the forward and the backward recurrence agree.'),
      s(t`s_l = 1\ \forall l \Rightarrow r = L(K-1) + 1`, 'With unit strides every layer adds K−1.'),
    ],
    caveats: [
      'The effective receptive field (where gradients are large) is much smaller and roughly Gaussian (Luo et al. 2016).',
      'Upsampling divides the jump: after nearest or bilinear ×2, a stride-2 transposed conv or PixelShuffle(2), neighbouring units are ½ input pixel apart (j = 1/2). The recursion then no longer gives every unit the same field: after nearest ×2 and a 4-tap conv, units alternately see 2 and 3 inputs. The product tracks each unit’s exact field (size, smallest size, rational jump and start), checked against PyTorch’s gradients on UNet and GAN-decoder stacks.',
    ],
    calculators: ['receptive-field'],
    simulations: ['receptive-field'],
    parameters: [intParam('L', t`L`, 'number of layers', 3, 1, 1000), intParam('K', t`K`, 'kernel size', 3, 1), intParam('S', t`s`, 'stride of each layer', 1, 1)],
    related: ['stacked-3x3-vs-7x7', 'conv-output-size', 'unet'],
  },
  {
    id: 'stacked-3x3-vs-7x7',
    area: 'cnn-arithmetic',
    title: 'Three 3×3 layers vs one 7×7',
    summary:
      'Three stacked 3×3 convolutions see the same 7×7 window as one 7×7 convolution, but hold 27C² weights instead of 49C² (45% fewer) and put two extra non-linearities in between, which makes the stack more expressive (VGG).',
    confidence: 'high',
    formulas: [
      f(t`n \text{ stacked } k\times k:\ r = n(k-1)+1,\quad \#\text{params} = n k^2 C^2 \ \text{vs}\ \big(n(k-1)+1\big)^2 C^2`, 'n stacked k×k: r = n(k − 1) + 1,  #params = n·k²·C² vs (n(k − 1) + 1)²·C²'),
      f(t`3\times(3\times3):\ 27C^2 \ \text{vs}\ 7\times7:\ 49C^2\ (-45\%)`, '3 × (3×3): 27C² vs 7×7: 49C² (−45%)'),
      f(t`2\times(3\times3):\ 18C^2 \ \text{vs}\ 5\times5:\ 25C^2\ (-28\%)`, '2 × (3×3): 18C² vs 5×5: 25C² (−28%)'),
    ],
    derivation: [
      s(t`r = 3(3-1) + 1 = 7`, 'Receptive field of three stride-1 3×3 layers (receptive-field).'),
      s(t`3 \times \big(C \cdot 3 \cdot 3 \cdot C\big) = 27C^2`, 'Each 3×3 layer with C inputs and C outputs holds 9C² weights (conv-parameter-count, no bias).'),
      s(t`C \cdot 7 \cdot 7 \cdot C = 49C^2`, 'One 7×7 layer with the same channels.'),
      s(t`1 - \tfrac{27}{49} \approx 0.45`, 'The stack saves 45% of the weights; MACs per position scale the same way.'),
      s(t`\text{non-linearities: } 3 \ \text{vs}\ 1`, 'Two extra activations between the layers make the stack more expressive.'),
    ],
    calculators: ['receptive-field', 'conv-params'],
    parameters: [intParam('C', t`C`, 'channels', 64, 1)],
    related: ['receptive-field', 'conv-parameter-count'],
  },
  {
    id: 'conv-weight-sharing',
    area: 'cnn-arithmetic',
    title: 'Weight sharing: fewer parameters, spatial awareness',
    summary:
      'A convolution applies the same filter at every patch, so its parameter count K²CF does not grow with the image, while a fully connected layer on the same maps needs (HWC)(H′W′F). Sharing also makes the layer translation-equivariant: shifting the input shifts the output.',
    confidence: 'medium',
    formulas: [
      f(t`\text{conv: } K^2 C F \quad\text{vs}\quad \text{FC: } (HWC)(H'W'F)`, "conv: K²·C·F  vs  FC: (H·W·C)·(H′·W′·F)"),
      f(t`\operatorname{conv}(\tau_\delta x) = \tau_\delta \operatorname{conv}(x)\quad(\text{stride } 1)`, 'conv(τ_δ x) = τ_δ conv(x)   (stride 1)'),
    ],
    derivation: [
      s(t`y_{p} = \sum_{o} w_{o}\, x_{p+o}`, 'Every output position p uses the same kernel w over the offsets o.'),
      s(t`(\tau_\delta x)_{p+o} = x_{p+o-\delta} \Rightarrow y'_{p} = y_{p-\delta}`, 'Shifting the input by δ shifts every window, so the output shifts by δ too.'),
      s(t`\frac{(HWC)(H'W'F)}{K^2 C F} = \frac{H W H' W'}{K^2}`, 'The FC layer pays for every input–output pair; the ratio grows with the image area squared.'),
    ],
    related: ['conv-parameter-count', 'pooling-max-avg'],
  },
  {
    id: 'pooling-max-avg',
    area: 'cnn-arithmetic',
    title: 'Max and average pooling',
    summary:
      'Max pooling keeps the strongest response of each K×K patch and routes the whole gradient to it; it gives local translation invariance. Average pooling keeps a summary of the patch and spreads the gradient evenly (1/K² each), giving smoother changes. A K×K pool with stride K cuts the positions by 1/K² and has no parameters.',
    confidence: 'high',
    formulas: [
      f(t`y = \max_{i\in\mathcal P} x_i,\quad \frac{\partial L}{\partial x_i} = \frac{\partial L}{\partial y}\,\mathbf 1\Big\{ i = \operatorname*{arg\,max}_{j\in\mathcal P} x_j \Big\}`, '∂L/∂x_i = ∂L/∂y · 1{i = argmax_j x_j}   (max)'),
      f(t`y = \frac{1}{K^2}\sum_{i\in\mathcal P} x_i,\quad \frac{\partial L}{\partial x_i} = \frac{1}{K^2}\frac{\partial L}{\partial y}`, '∂L/∂x_i = (1/K²)·∂L/∂y   (average)'),
      f(t`H \times W \to \tfrac{H}{K} \times \tfrac{W}{K}`, 'H × W → H/K × W/K'),
    ],
    derivation: [
      s(t`\frac{\partial}{\partial x_i} \max_j x_j = \mathbf 1\{ i = \operatorname*{arg\,max}_j x_j \}`, 'The max is locally a selector: only the winning input changes the output.'),
      s(t`\frac{\partial}{\partial x_i} \frac{1}{K^2}\sum_j x_j = \frac{1}{K^2}`, 'The mean is linear with equal weights.'),
      s(t`\frac{HW}{K^2} \text{ windows, } 0 \text{ parameters}`, 'Non-overlapping K×K windows tile the map; nothing is learned.'),
    ],
    caveats: ['With ties PyTorch routes the max-pool gradient to a single index.', 'Max pooling is only invariant to shifts smaller than the window.'],
    calculators: ['pool-out'],
    related: ['conv-output-size', 'global-average-pooling', 'channel-doubling-on-downsample'],
  },
  {
    id: 'global-average-pooling',
    area: 'cnn-arithmetic',
    title: 'Global average pooling',
    summary:
      'GAP averages each channel over all spatial positions, reducing H×W×C to C before the classifier. The head then needs CK weights instead of CHWK, and any input size works. It discards spatial information: fine for classification, not for segmentation.',
    confidence: 'high',
    formulas: [
      f(t`g_c = \frac{1}{HW}\sum_{h,w} x_{c,h,w} \in \mathbb R^{C}`, 'g_c = (1/HW)·Σ_{h,w} x_{c,h,w}'),
      f(t`\text{head params: } CK \ (\text{GAP})\ \text{vs}\ CHWK\ (\text{flatten})`, 'head params: C·K (GAP) vs C·H·W·K (flatten)'),
      f(t`\text{CAM}_k(h,w) = \sum_c w_{k,c}\, x_{c,h,w}`, 'CAM_k(h, w) = Σ_c w_{k,c}·x_{c,h,w}'),
    ],
    derivation: [
      s(t`g \in \mathbb R^{C}\ \text{for any } H, W`, 'Averaging over space removes the spatial axes, so the head’s input size no longer depends on the image size.'),
      s(t`z_k = \sum_c w_{k,c} g_c = \frac{1}{HW}\sum_{h,w} \sum_c w_{k,c} x_{c,h,w}`, 'The linear head commutes with the average.'),
      s(t`z_k = \frac{1}{HW}\sum_{h,w} \text{CAM}_k(h,w)`, 'So the class score is the mean of a per-pixel class-activation map.'),
    ],
    caveats: ['The OCR says "over all channels"; GAP averages over spatial positions, separately for each channel.'],
    related: ['pooling-max-avg', 'conv-parameter-count'],
  },
  {
    id: 'channel-doubling-on-downsample',
    area: 'cnn-arithmetic',
    title: 'Double the channels when downsampling',
    summary:
      'Halving H and W divides the positions by four; doubling C then halves the activation count but keeps the compute of a 3×3 conv per stage constant. Constant compute per layer is the real VGG/ResNet rationale, not constant “information”.',
    confidence: 'high',
    formulas: [
      f(t`HWC \to \tfrac{H}{2}\tfrac{W}{2}(2C) = \tfrac12 HWC`, 'activations: H·W·C → (H/2)(W/2)(2C) = ½·H·W·C'),
      f(t`9HWC^2 \to 9\tfrac{H}{2}\tfrac{W}{2}(2C)^2 = 9HWC^2`, '3×3 conv MACs: 9·H·W·C² → 9·(H/2)(W/2)(2C)² = 9·H·W·C²'),
    ],
    derivation: [
      s(t`\text{MACs} = H'W' \cdot 9 \cdot C_{\text{in}} C_{\text{out}}`, 'Cost of a 3×3 convolution (conv-parameter-count).'),
      s(t`\tfrac{H}{2}\tfrac{W}{2}\cdot 9 \cdot (2C)(2C) = 9HWC^2`, 'The factor 1/4 from the positions cancels the factor 4 from the channels.'),
      s(t`\tfrac{H}{2}\tfrac{W}{2}\cdot 2C = \tfrac12 HWC`, 'The activation count halves, so “total information” is not what stays constant.'),
    ],
    caveats: ['The notes say the total information stays constant; in fact the activation count halves and the compute per layer stays constant.'],
    related: ['conv-parameter-count', 'unet'],
  },
  {
    id: 'depthwise-separable-conv',
    area: 'cnn-arithmetic',
    title: 'Depthwise separable convolution',
    summary:
      'A depthwise convolution gives each input channel its own K×K filter (groups = C); a 1×1 pointwise convolution then mixes the channels. Together they cost K²C + CF weights instead of K²CF, about 8–9× cheaper for K = 3 (MobileNet, Xception).',
    confidence: 'high',
    formulas: [
      f(t`\text{depthwise } (g=C):\ K^2 C,\qquad \text{pointwise } 1\times1:\ CF`, 'depthwise (g = C): K²·C,  pointwise 1×1: C·F'),
      f(t`\frac{K^2 C + CF}{K^2 CF} = \frac{1}{F} + \frac{1}{K^2}`, '(K²C + CF)/(K²CF) = 1/F + 1/K²'),
      f(t`\text{MACs: } H'W'(K^2C + CF)\ \text{vs}\ H'W'K^2CF`, "MACs: H′W′(K²C + CF) vs H′W′·K²CF"),
    ],
    derivation: [
      s(t`W \approx \underbrace{\text{spatial per channel}}_{K^2 C} \circ \underbrace{\text{channel mixing}}_{C F}`, 'Factor the full convolution into a spatial step per channel and a 1×1 channel-mixing step.'),
      s(t`\#\text{params} = K^2 C + C F`, 'Count each step with the conv parameter formula (groups = C, then K = 1).'),
      s(t`\frac{K^2 C + CF}{K^2 C F} = \frac{1}{F} + \frac{1}{K^2}`, 'Divide by the dense count K²CF.'),
      s(t`K = 3,\ F = 256:\ \tfrac{1}{256} + \tfrac19 \approx 0.115 \approx \tfrac{1}{8.7}`, 'For large F the saving approaches K², about 9× for 3×3 kernels.'),
    ],
    calculators: ['conv-params'],
    snippets: [
      {
        title: 'Depthwise separable block',
        code: 'nn.Sequential(\n    nn.Conv2d(c_in, c_in, 3, padding=1, groups=c_in, bias=False),\n    nn.BatchNorm2d(c_in),\n    nn.ReLU(inplace=True),\n    nn.Conv2d(c_in, c_out, 1, bias=False),\n    nn.BatchNorm2d(c_out),\n    nn.ReLU(inplace=True),\n)\n',
      },
    ],
    parameters: [intParam('C', t`C`, 'input channels', 128, 1), intParam('F', t`F`, 'output channels', 128, 1), intParam('K', t`K`, 'kernel size', 3, 1)],
    related: ['conv-parameter-count', 'linear-bottleneck-no-relu-output'],
  },
  {
    id: 'linear-bottleneck-no-relu-output',
    area: 'cnn-arithmetic',
    title: 'Expand, then compress: no ReLU on a low-dimensional output',
    summary:
      'MobileNetV2’s inverted residual expands to t·c channels, filters depthwise, then projects back down with no activation: a ReLU on a low-dimensional manifold zeroes a half-space and loses information irreversibly. Likewise the final layer of a classifier or regressor must output raw, unconstrained values.',
    confidence: 'medium',
    formulas: [
      f(t`x \in \mathbb R^{c} \xrightarrow{1\times1,\ \mathrm{ReLU6}} \mathbb R^{tc} \xrightarrow{\text{dw }3\times3,\ \mathrm{ReLU6}} \mathbb R^{tc} \xrightarrow{1\times1,\ \text{linear}} \mathbb R^{c'}`, 'x ∈ ℝ^c →(1×1, ReLU6) ℝ^{tc} →(dw 3×3, ReLU6) ℝ^{tc} →(1×1, linear) ℝ^{c′}  (+x if c′ = c, s = 1)'),
    ],
    derivation: [
      s(t`x \in \mathbb R^2,\quad u = \mathrm{ReLU}(T x),\ T \in \mathbb R^{n\times 2}`, 'Embed a 2-D spiral in n dimensions with a random matrix T and apply ReLU.'),
      s(t`\hat x = T^{+} u`, 'Map back with the pseudo-inverse of T.'),
      s(t`n \text{ small} \Rightarrow \hat x \text{ collapses};\quad n \gtrsim 15 \Rightarrow \hat x \approx x`, 'In few dimensions ReLU zeroes whole regions; in many, enough coordinates stay positive to invert (MobileNetV2, Fig. 1).'),
    ],
    related: ['depthwise-separable-conv', 'training-loop-debugging'],
  },
  {
    id: 'unet',
    area: 'cnn-arithmetic',
    title: 'UNet for pixel-level classification',
    summary:
      'UNet downsamples while doubling channels so the low-resolution middle integrates context from the whole image, then upsamples back to per-pixel predictions, concatenating the encoder’s detailed maps through skip connections. With padded convolutions the input size must be divisible by 2^depth, or the skip and the upsampled map differ by a pixel.',
    confidence: 'high',
    formulas: [
      f(t`\text{level } l:\ C_l = C_0 2^{l},\ H_l = H/2^{l}`, 'level l: C_l = C₀·2^l,  H_l = H/2^l'),
      f(t`\texttt{ConvTranspose2d}(k{=}2, s{=}2):\ H \to 2H`, 'ConvTranspose2d(k=2, s=2): H → 2H'),
      f(t`2^{\text{depth}} \mid H,\ 2^{\text{depth}} \mid W`, 'H and W divisible by 2^depth'),
      f(t`\mathcal L = \frac{1}{HW}\sum_{h,w} \operatorname{CE}(y_{hw}, \hat p_{hw})`, 'L = (1/HW)·Σ_{h,w} CE(y_hw, p̂_hw)'),
    ],
    derivation: [
      s(t`H_l = \lfloor H_{l-1}/2 \rfloor`, 'Each 2×2 pool (or stride-2 conv) halves the size with a floor (conv-output-size).'),
      s(t`H_l^{\uparrow} = 2 H_{l+1}`, 'A transposed conv with k = s = 2 doubles it again: (H−1)·2 + 2 = 2H.'),
      s(t`2\lfloor H_{l-1}/2 \rfloor = H_{l-1} \iff 2 \mid H_{l-1}`, 'The upsampled map matches the skip only when no floor discarded a pixel.'),
      s(t`\forall l \le \text{depth}:\ 2 \mid H_{l-1} \iff 2^{\text{depth}} \mid H`, 'So the input must be divisible by 2^depth (check CC-41).'),
    ],
    calculators: ['convtranspose-out', 'receptive-field'],
    snippets: [
      {
        title: 'UNet down / up block',
        code: 'class Down(nn.Module):\n    def __init__(self, c_in, c_out):\n        super().__init__()\n        self.block = nn.Sequential(\n            nn.MaxPool2d(2),\n            nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(inplace=True),\n            nn.Conv2d(c_out, c_out, 3, padding=1), nn.ReLU(inplace=True),\n        )\n\n    def forward(self, x):\n        return self.block(x)\n\n\nclass Up(nn.Module):\n    def __init__(self, c_in, c_out):\n        super().__init__()\n        self.up = nn.ConvTranspose2d(c_in, c_in // 2, 2, stride=2)\n        self.block = nn.Sequential(\n            nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(inplace=True),\n            nn.Conv2d(c_out, c_out, 3, padding=1), nn.ReLU(inplace=True),\n        )\n\n    def forward(self, x, skip):\n        return self.block(torch.cat([skip, self.up(x)], dim=1))\n',
      },
    ],
    related: ['conv-output-size', 'receptive-field', 'channel-doubling-on-downsample'],
  },
];
