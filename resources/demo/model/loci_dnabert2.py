"""DNABERT-2 architecture (MosaicBERT: ALiBi attention, GEGLU feed-forward, post-LayerNorm) for
Hugging Face `transformers`, written by Loci and shipped with every DNABERT-2-architecture model it
exports. config.json's `auto_map` points here, so

    AutoModelForMaskedLM.from_pretrained(folder, trust_remote_code=True)
    AutoModelForSequenceClassification.from_pretrained(folder, trust_remote_code=True)

load the folder offline with every weight used. Weight names are Hugging Face's (the ones Loci's
engine and the original DNABERT-2 checkpoints use). Padded batches run as they are (no un-padding):
padded keys get a -10000 additive bias, as in Loci's engine; outputs match the engine to 1e-4.
"""
import math

import torch
import torch.nn.functional as F
import transformers
from torch import nn
from transformers import BertConfig, PreTrainedModel
from transformers.modeling_outputs import BaseModelOutputWithPooling, MaskedLMOutput, SequenceClassifierOutput


def alibi_slopes(n):
    """ALiBi head slopes 2^(-8i/n); a head count that is not a power of 2 takes every other slope of 2n."""
    def pow2(m):
        first = 2.0 ** (-8.0 / m)
        return [first ** (i + 1) for i in range(m)]
    if math.log2(n).is_integer():
        return pow2(n)
    base = 2 ** int(math.floor(math.log2(n)))
    return pow2(base) + alibi_slopes(2 * base)[0::2][: n - base]


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, input_ids, token_type_ids):
        return self.dropout(self.LayerNorm(self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)))


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c.num_attention_heads
        self.Wqkv = nn.Linear(c.hidden_size, 3 * c.hidden_size)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def forward(self, x, bias):
        b, s, h = x.shape
        d = h // self.heads
        q, k, v = (t.view(b, s, self.heads, d).transpose(1, 2) for t in self.Wqkv(x).chunk(3, dim=-1))
        probs = self.dropout(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, dim=-1))
        return (probs @ v).transpose(1, 2).reshape(b, s, h)


class AttentionOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, a, x):
        return self.LayerNorm(self.dropout(self.dense(a)) + x)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = AttentionOutput(c)

    def forward(self, x, bias):
        return self.output(self.self(x, bias), x)


class GatedMlp(nn.Module):
    """GEGLU: gated_layers (no bias) -> exact GELU of the first half times the second -> wo."""

    def __init__(self, c):
        super().__init__()
        self.inter = c.intermediate_size
        self.gated_layers = nn.Linear(c.hidden_size, 2 * c.intermediate_size, bias=False)
        self.wo = nn.Linear(c.intermediate_size, c.hidden_size)
        self.layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, a):
        g = self.gated_layers(a)
        return self.layernorm(self.dropout(self.wo(F.gelu(g[..., : self.inter]) * g[..., self.inter :])) + a)


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.mlp = GatedMlp(c)

    def forward(self, x, bias):
        return self.mlp(self.attention(x, bias))


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, x, bias):
        for layer in self.layer:
            x = layer(x, bias)
        return x


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x):
        return torch.tanh(self.dense(x[:, 0]))


class LociDnabert2PreTrainedModel(PreTrainedModel):
    config_class = BertConfig
    base_model_prefix = "bert"

    def _init_weights(self, module):
        # Only weights a checkpoint lacks (a new classifier head) are initialised, as BERT does.
        if isinstance(module, nn.Linear):
            module.weight.data.normal_(0.0, self.config.initializer_range)
            if module.bias is not None:
                module.bias.data.zero_()
        elif isinstance(module, nn.Embedding):
            module.weight.data.normal_(0.0, self.config.initializer_range)
        elif isinstance(module, nn.LayerNorm):
            module.weight.data.fill_(1.0)
            module.bias.data.zero_()


class LociDnabert2Model(LociDnabert2PreTrainedModel):
    def __init__(self, config, add_pooling_layer=True):
        super().__init__(config)
        self.embeddings = Embeddings(config)
        self.encoder = Encoder(config)
        self.pooler = Pooler(config) if add_pooling_layer else None
        self.post_init()

    def get_input_embeddings(self):
        return self.embeddings.word_embeddings

    def set_input_embeddings(self, value):
        self.embeddings.word_embeddings = value

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, return_dict=None, **kwargs):
        b, s = input_ids.shape
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        pos = torch.arange(s, device=input_ids.device)
        dist = (pos[None, :] - pos[:, None]).abs().float()
        mask_bias = (1.0 - attention_mask.float())[:, None, None, :] * -10000.0
        # Slopes made here, not kept as a buffer: transformers may build the model on the meta device,
        # where a non-persistent buffer would never get its values.
        slopes = torch.tensor(alibi_slopes(self.config.num_attention_heads), dtype=torch.float32, device=input_ids.device)
        bias = -slopes[:, None, None] * dist[None] + mask_bias
        x = self.encoder(self.embeddings(input_ids, token_type_ids), bias)
        x = x * attention_mask[..., None].float()  # padded positions are zeros, as in MosaicBERT
        pooled = self.pooler(x) if self.pooler is not None else None
        return BaseModelOutputWithPooling(last_hidden_state=x, pooler_output=pooled)


class PredictionHeadTransform(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=1e-12)
        self.act = c.hidden_act

    def forward(self, x):
        x = self.dense(x)
        x = F.gelu(x, approximate="tanh") if self.act in ("gelu_new", "gelu_pytorch_tanh", "gelu_fast") else F.relu(x) if self.act == "relu" else F.gelu(x)
        return self.LayerNorm(x)


class LmPrediction(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.transform = PredictionHeadTransform(c)
        self.decoder = nn.Linear(c.hidden_size, c.vocab_size)  # weight tied to the word embeddings

    def forward(self, x):
        return self.decoder(self.transform(x))


class LmHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.predictions = LmPrediction(c)

    def forward(self, x):
        return self.predictions(x)


class LociDnabert2ForMaskedLM(LociDnabert2PreTrainedModel):
    # The decoder shares the word embeddings (checkpoints hold only the bias): transformers 5 wants
    # {tied: source}, transformers 4 a list of the tied names.
    _tied_weights_keys = (
        {"cls.predictions.decoder.weight": "bert.embeddings.word_embeddings.weight"}
        if int(transformers.__version__.split(".")[0]) >= 5
        else ["cls.predictions.decoder.weight"]
    )

    def __init__(self, config):
        super().__init__(config)
        self.bert = LociDnabert2Model(config, add_pooling_layer=False)
        self.cls = LmHead(config)
        self.post_init()

    def get_output_embeddings(self):
        return self.cls.predictions.decoder

    def set_output_embeddings(self, value):
        self.cls.predictions.decoder = value

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None, return_dict=None, **kwargs):
        x = self.bert(input_ids, attention_mask, token_type_ids).last_hidden_state
        logits = self.cls(x)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), ignore_index=-100) if labels is not None else None
        return MaskedLMOutput(loss=loss, logits=logits, hidden_states=None)


class LociDnabert2ForSequenceClassification(LociDnabert2PreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.num_labels = config.num_labels
        self.bert = LociDnabert2Model(config)
        dropout = config.classifier_dropout if config.classifier_dropout is not None else config.hidden_dropout_prob
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None, return_dict=None, **kwargs):
        pooled = self.bert(input_ids, attention_mask, token_type_ids).pooler_output
        logits = self.classifier(self.dropout(pooled))
        loss = F.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)
