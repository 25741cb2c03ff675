"""A part-of-speech tagger: word embeddings, a bidirectional LSTM and a linear tag scorer."""
import torch
import torch.nn as nn
import torch.nn.functional as F

EMBEDDING_DIM = 64
HIDDEN_DIM = 128


class LSTMTagger(nn.Module):

    def __init__(self, embedding_dim=EMBEDDING_DIM, hidden_dim=HIDDEN_DIM, vocab_size=5000, tagset_size=17,
                 num_layers=2, dropout=0.3):
        super(LSTMTagger, self).__init__()
        self.hidden_dim = hidden_dim

        self.word_embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)

        # The LSTM takes word embeddings as inputs, and outputs hidden states
        # with dimensionality hidden_dim (per direction).
        self.lstm = nn.LSTM(embedding_dim, hidden_dim, num_layers=num_layers, bidirectional=True,
                            batch_first=True, dropout=dropout)
        self.dropout = nn.Dropout(dropout)

        # The linear layer that maps from hidden state space to tag space
        self.hidden2tag = nn.Linear(hidden_dim * 2, tagset_size)

    def forward(self, sentence):
        embeds = self.word_embeddings(sentence)
        lstm_out, _ = self.lstm(embeds)
        tag_space = self.hidden2tag(self.dropout(lstm_out))
        tag_scores = F.log_softmax(tag_space, dim=-1)
        return tag_scores
